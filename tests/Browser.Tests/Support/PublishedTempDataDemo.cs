namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// samples/TempDataDemo (Razor Pages, JIT) published once per test class (framework-dependent, `dotnet publish --no-build`
/// of the build the tests ran against) into a temporary folder, as a user would deploy it: run as `dotnet TempDataDemo.dll`
/// on Kestrel, or as the Lambda app behind sessions-lambda-gateway.
/// </summary>
public sealed class PublishedTempDataDemo : IAsyncLifetime
{
    /// <summary>A key for the published app's cookies (at least 32 characters).</summary>
    public const string EncryptionKey = "tempdata-browser-tests-key-0123456789-abcdefghij";

    private static string Project => Path.Combine(TestEnvironment.RepositoryRoot, "samples", "TempDataDemo", "TempDataDemo.csproj");

    public string Folder { get; private set; } = string.Empty;

    /// <summary>The published app's entry assembly.</summary>
    public string App => Path.Combine(Folder, "TempDataDemo.dll");

    public async Task InitializeAsync()
    {
        Folder = TestEnvironment.CreateTemporaryDirectory("published-tempdata-demo");
        var result = await ProcessRunner.RunAsync(
            ProcessRunner.Dotnet,
            ["publish", Project, "-c", TestEnvironment.Configuration, "--no-build", "-o", Folder],
            TestEnvironment.RepositoryRoot,
            TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("Publishing samples/TempDataDemo failed: " + result);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
