using System.Text.RegularExpressions;

namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>
/// The infrastructure check CI runs: `bicep build` (or `build-params`) and `bicep lint` with the pinned CLI, failing on any
/// error or warning. The CLI exits with 0 when it only warns, so the check reads the diagnostics it prints.
/// </summary>
internal static partial class BicepCli
{
    /// <summary>What the check found.</summary>
    /// <param name="Problems">Every error and warning, as the CLI printed it.</param>
    /// <param name="Output">Everything the CLI printed, for failure messages.</param>
    /// <param name="ExitCodes">The exit codes of build and lint.</param>
    public sealed record Report(IReadOnlyList<string> Problems, string Output, IReadOnlyList<int> ExitCodes)
    {
        public bool Passed => Problems.Count == 0 && ExitCodes.All(code => code == 0);

        public override string ToString() => Passed ? "no errors or warnings" : string.Join('\n', Problems) + "\n--- output ---\n" + Output;
    }

    /// <summary>Builds and lints a .bicep or .bicepparam file; the compiled JSON goes to <paramref name="outputFile"/>.</summary>
    public static async Task<Report> CheckAsync(string file, string outputFile, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string build = file.EndsWith(".bicepparam", StringComparison.Ordinal) ? "build-params" : "build";
        string directory = Path.GetDirectoryName(file)!;
        var results = new List<ProcessRunner.Result>
        {
            await RunAsync([build, file, "--outfile", outputFile], directory, environment),
            await RunAsync(["lint", file], directory, environment),
        };
        string output = string.Join('\n', results.Select(r => r.Output));
        var problems = output.Split('\n').Select(line => line.Trim()).Where(line => Diagnostic().IsMatch(line)).Distinct().ToList();
        return new Report(problems, output, results.Select(r => r.ExitCode).ToList());
    }

    private static Task<ProcessRunner.Result> RunAsync(string[] arguments, string directory, IReadOnlyDictionary<string, string?>? environment) =>
        ProcessRunner.RunAsync(BicepEnvironment.BicepPath, arguments, directory, TimeSpan.FromMinutes(2), environment);

    // `main.bicep(12,7) : Warning no-unused-params: Parameter "x" is declared but never used.`
    [GeneratedRegex(@"\(\d+,\d+\) : (Error|Warning) [^:]+:")]
    private static partial Regex Diagnostic();
}
