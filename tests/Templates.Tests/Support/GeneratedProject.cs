using System.Text.RegularExpressions;

namespace SessionsServerless.Templates.Tests.Support;

/// <summary>A solution <c>dotnet new</c> created, with what creating, building and testing it printed.</summary>
/// <param name="Variant">The template and options it was created with.</param>
/// <param name="Directory">Where it was created.</param>
/// <param name="Creation">What <c>dotnet new</c> (and its restore) printed.</param>
/// <param name="Build">What <c>dotnet build</c> printed, or <see langword="null"/> when creation failed.</param>
/// <param name="Test">What <c>dotnet test</c> printed, or <see langword="null"/> when the build failed.</param>
public sealed partial record GeneratedProject(
    TemplateVariant Variant,
    string Directory,
    CommandResult Creation,
    CommandResult? Build,
    CommandResult? Test)
{
    public string Solution => Path.Combine(Directory, Variant.Name + ".slnx");

    public string AppDirectory => Path.Combine(Directory, "src", Variant.Name);

    public string AppProject => Path.Combine(AppDirectory, Variant.Name + ".csproj");

    public string TestProject => Path.Combine(Directory, "tests", Variant.Name + ".Tests", Variant.Name + ".Tests.csproj");

    /// <summary>The configuration the workspace builds, tests and publishes generated solutions in.</summary>
    public const string Configuration = "Release";

    /// <summary>The app's build output.</summary>
    public string AppOutput => Path.Combine(AppDirectory, "bin", Configuration, "net10.0");

    public string AppAssembly => Path.Combine(AppOutput, Variant.Name + ".dll");

    public string PathOf(params string[] relative) => Path.Combine([Directory, .. relative]);

    public string Read(params string[] relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Fails with what went wrong unless the solution was created, built and tested successfully.</summary>
    public void AssertBuiltAndTested()
    {
        Assert.True(Creation.ExitCode == 0, $"dotnet new {Variant.ShortName} failed: {Creation}");
        Assert.True(Build is { ExitCode: 0 }, $"dotnet build of {Variant.Id} failed: {Build}");
        Assert.True(Test is { ExitCode: 0 }, $"dotnet test of {Variant.Id} failed: {Test}");
    }

    /// <summary>The build's <c>N Warning(s)</c> count, or -1 when the summary is missing.</summary>
    public int BuildWarnings => Build is { } build && WarningCount().Match(build.Output) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"^\s*(\d+) Warning\(s\)", RegexOptions.Multiline)]
    private static partial Regex WarningCount();
}
