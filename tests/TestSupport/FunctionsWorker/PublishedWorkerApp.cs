namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// An isolated-worker Functions app published (<c>dotnet publish -c {the tests' configuration}</c>) into a temporary
/// folder, the folder <see cref="WorkerFunctionsHost.StartAsync"/> runs; deleted on dispose. Publish once per test run
/// (e.g. from a collection fixture): it builds the app and the Functions SDK's WorkerExtensions project.
/// </summary>
public sealed class PublishedWorkerApp : IAsyncDisposable
{
    private PublishedWorkerApp(string folder)
    {
        Folder = folder;
    }

    /// <summary>The publish folder (worker.config.json, functions.metadata, host.json, the app's assemblies).</summary>
    public string Folder { get; }

    /// <summary>Publishes the project (a path relative to the repository root, or absolute).</summary>
    public static async Task<PublishedWorkerApp> PublishAsync(string project, CancellationToken cancellationToken = default)
    {
        string path = Path.IsPathRooted(project) ? project : Path.Combine(TestEnvironment.RepositoryRoot, project);
        string folder = TestEnvironment.CreateTemporaryDirectory("published-worker");
        var result = await ProcessRunner.RunAsync(
            ProcessRunner.Dotnet,
            ["publish", path, "-c", TestEnvironment.Configuration, "-o", folder],
            TestEnvironment.RepositoryRoot,
            TimeSpan.FromMinutes(10)).WaitAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            Directory.Delete(folder, recursive: true);
            throw new InvalidOperationException($"Publishing {project} failed: {result}");
        }

        return new PublishedWorkerApp(folder);
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
