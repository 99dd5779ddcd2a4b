using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The package's MSBuild logic for the other ways to publish: the executable host.json runs for Native AOT,
/// self-contained and single-file publishes, the purge schedule and the opt-outs.
/// </summary>
public sealed class PublishTargetsTests
{
    [Theory]
    [InlineData("-p:PublishAot=true", "linux-x64", "LoginDemo")]
    [InlineData("-p:SelfContained=true", "linux-x64", "LoginDemo")]
    [InlineData("-p:PublishSingleFile=true", "linux-x64", "LoginDemo")]
    [InlineData("-p:PublishAot=true", "win-x64", "LoginDemo.exe")]
    public async Task A_publish_that_produces_an_executable_runs_it_without_dotnet(string mode, string runtime, string executable)
    {
        var files = await GenerateAsync(mode, "-p:RuntimeIdentifier=" + runtime);

        var description = files["host.json"]!["customHandler"]!["description"]!;
        Assert.Equal(executable, description["defaultExecutablePath"]!.GetValue<string>());
        Assert.Empty(description["arguments"]!.AsArray());
    }

    [Theory]
    [InlineData("0 0 * * * *", "0 0 * * * *")]
    [InlineData("%SESSIONS_PURGE_SCHEDULE%", "%SESSIONS_PURGE_SCHEDULE%")]
    public async Task The_purge_schedule_is_a_property(string schedule, string expected)
    {
        var files = await GenerateAsync("-p:SessionsPurgeSchedule=" + schedule);

        Assert.Equal(expected, files["PurgeExpiredSessions/function.json"]!["bindings"]![0]!["schedule"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_schedule_that_is_not_a_timer_schedule_fails_the_build_with_how_to_write_one()
    {
        var result = await RunTargetAsync(TestEnvironment.CreateTemporaryDirectory("bad-schedule"), "-p:SessionsPurgeSchedule=every five minutes");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SessionsPurgeSchedule 'every five minutes' is not a timer schedule", result.Output, StringComparison.Ordinal);
        Assert.Contains("six fields, seconds first", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_purge_function_can_be_left_out()
    {
        var files = await GenerateAsync("-p:SessionsPurgeFunction=false");

        Assert.DoesNotContain("PurgeExpiredSessions/function.json", files.Keys);
        Assert.Contains("HttpForwarder/function.json", files.Keys);
    }

    [Fact]
    public async Task A_publish_can_opt_out_of_the_Functions_files()
    {
        string folder = TestEnvironment.CreateTemporaryDirectory("publish-without-functions");
        try
        {
            var result = await ProcessRunner.RunAsync(
                ProcessRunner.Dotnet,
                ["publish", TestEnvironment.DemoProject, "-c", TestEnvironment.Configuration, "--no-build", "-o", folder, "-p:AzureFunctionsCustomHandlerFiles=false"],
                TestEnvironment.RepositoryRoot,
                TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.True(File.Exists(Path.Combine(folder, "LoginDemo.dll")));
            Assert.False(File.Exists(Path.Combine(folder, "host.json")));
            Assert.False(Directory.Exists(Path.Combine(folder, "HttpForwarder")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the generation target with the given properties and reads the files it wrote.</summary>
    private static async Task<Dictionary<string, JsonNode>> GenerateAsync(params string[] properties)
    {
        string directory = TestEnvironment.CreateTemporaryDirectory("functions-files");
        try
        {
            var result = await RunTargetAsync(directory, properties);
            Assert.True(result.ExitCode == 0, result.ToString());
            return Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories).ToDictionary(
                file => Path.GetRelativePath(directory, file).Replace('\\', '/'),
                file => JsonNode.Parse(File.ReadAllText(file))!);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<ProcessRunner.Result> RunTargetAsync(string directory, params string[] properties) =>
        ProcessRunner.RunAsync(
            ProcessRunner.Dotnet,
            [
                "msbuild", TestEnvironment.DemoProject, "-nologo", "-v:m", "-t:WriteAzureFunctionsCustomHandlerFiles",
                "-p:Configuration=" + TestEnvironment.Configuration, "-p:AzureFunctionsCustomHandlerFilesDirectory=" + directory + "/", .. properties,
            ],
            TestEnvironment.RepositoryRoot,
            TimeSpan.FromMinutes(2));
}
