namespace SessionsServerless.Templates.Tests.Support;

/// <summary>A command's exit code, everything it printed (stdout and stderr, interleaved) and how long it took.</summary>
public sealed record CommandResult(int ExitCode, string Output, TimeSpan Duration = default)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit code {ExitCode}:\n{Output}";
}
