using SessionsServerless.TestSupport;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>The gateway as a developer installs it: a .NET tool package that installs and runs as sessions-lambda-gateway.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_package_installs_as_a_dotnet_tool_named_sessions_lambda_gateway()
    {
        string root = TestEnvironment.CreateTemporaryDirectory("gateway-tool");
        try
        {
            string feed = Path.Combine(root, "feed");
            string tools = Path.Combine(root, "tools");
            string project = Path.Combine(TestEnvironment.RepositoryRoot, "src", "LambdaGateway", "SessionsServerless.LambdaGateway.csproj");
            // What pack writes besides the package (the tool's publish folder, the nuspec) goes to this test's folder, so another
            // pack of the project at the same time (the template tests pack every library) does not collide with it.
            var pack = await ProcessRunner.RunAsync(
                ProcessRunner.Dotnet,
                [
                    "pack", project, "-c", TestEnvironment.Configuration, "--no-build", "-o", feed,
                    "-p:PublishDir=" + Path.Combine(root, "publish") + "/", "-p:NuspecOutputPath=" + Path.Combine(root, "nuspec") + "/",
                ],
                root,
                TimeSpan.FromMinutes(3));
            Assert.True(pack.ExitCode == 0, pack.ToString());

            var install = await ProcessRunner.RunAsync(
                ProcessRunner.Dotnet, ["tool", "install", "SessionsServerless.LambdaGateway", "--tool-path", tools, "--add-source", feed], root, TimeSpan.FromMinutes(3));
            Assert.True(install.ExitCode == 0, install.ToString());

            var help = await ProcessRunner.RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "sessions-lambda-gateway.exe" : "sessions-lambda-gateway"), ["--help"], root, TimeSpan.FromMinutes(1));
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("Usage: sessions-lambda-gateway", help.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
