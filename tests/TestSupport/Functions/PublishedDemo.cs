namespace SessionsServerless.TestSupport;

/// <summary>
/// The login demo published once per test run (framework-dependent, `dotnet publish --no-build` of the build the tests
/// ran against) into a temporary folder: the folder a user would hand to `func start` or zip-deploy.
/// </summary>
public sealed class PublishedDemo : IAsyncLifetime
{
    /// <summary>A key for the published app's cookies (at least 32 characters).</summary>
    public const string EncryptionKey = "functions-harness-key-0123456789-abcdefghij";

    public string Folder { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Folder = TestEnvironment.CreateTemporaryDirectory("published-demo");
        var result = await ProcessRunner.RunAsync(
            ProcessRunner.Dotnet,
            ["publish", TestEnvironment.DemoProject, "-c", TestEnvironment.Configuration, "--no-build", "-o", Folder],
            TestEnvironment.RepositoryRoot,
            TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("Publishing the demo failed: " + result);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Starts the published app under the emulated Functions host with the given app settings.</summary>
    public Task<CustomHandlerProcess> StartAsync(IReadOnlyDictionary<string, string> appSettings)
    {
        var settings = new Dictionary<string, string>(appSettings, StringComparer.Ordinal);
        settings.TryAdd("Sessions__EncryptionKey", EncryptionKey);
        return CustomHandlerProcess.StartAsync(Folder, settings);
    }
}
