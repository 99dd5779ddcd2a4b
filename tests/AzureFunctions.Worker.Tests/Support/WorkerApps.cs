namespace SessionsServerless.AzureFunctions.Worker.Tests.Support;

/// <summary>
/// The two isolated-worker apps the tests run through the local Functions host, each published once per test run:
/// samples/FunctionsDemo and tests/Fixtures/SessionsWorkerApp.
/// </summary>
public sealed class WorkerApps : IAsyncLifetime
{
    /// <summary>A key for the tests only.</summary>
    public const string TestKey = "worker-tests-only-key-0123456789abcdefghijklmnop";

    private PublishedWorkerApp? _demo;
    private PublishedWorkerApp? _fixture;

    /// <summary>The published demo's folder.</summary>
    public string Demo => (_demo ?? throw new InvalidOperationException("Not published.")).Folder;

    /// <summary>The published fixture app's folder.</summary>
    public string Fixture => (_fixture ?? throw new InvalidOperationException("Not published.")).Folder;

    /// <summary>
    /// Starts <paramref name="folder"/> under a new local host with <paramref name="settings"/> (Sessions__EncryptionKey
    /// defaults to <see cref="TestKey"/>), then warms it up with <paramref name="warmUpPath"/> (see <see cref="WarmUpAsync"/>).
    /// </summary>
    public static async Task<WorkerFunctionsHost> StartAsync(string folder, IReadOnlyDictionary<string, string> settings, string warmUpPath = "/plain")
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Sessions__EncryptionKey"] = TestKey,
            ["SessionsPurgeSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var host = await WorkerFunctionsHost.StartAsync(folder, all);
        await WarmUpAsync(host, warmUpPath);
        return host;
    }

    /// <summary>
    /// Sends a request that touches no session until one succeeds (three tries). The worker's ASP.NET Core integration
    /// gives a request 5 seconds to be matched with its invocation; a fresh worker on a loaded machine can miss that on
    /// its very first invocation (JIT), which the real host would answer with 500 too. The tests are about what follows.
    /// </summary>
    /// <remarks>
    /// Why the local host cannot make this unnecessary: the request and the InvocationRequest travel on two connections
    /// and the FunctionRpc protocol has no message by which the worker says it has taken an invocation up. The real host
    /// starts forwarding the request before it writes the InvocationRequest; the local host writes the invocation first,
    /// the most slack the worker's 5-second window allows (see HttpFrontDoor). Waiting longer before forwarding would
    /// trade this window for the other one (the invocation waits 15 s for its request) without a signal to wait for.
    /// </remarks>
    public static async Task WarmUpAsync(WorkerFunctionsHost host, string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        for (int attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(path);
            if (response.IsSuccessStatusCode || attempt == 3)
            {
                return;
            }
        }
    }

    public async Task InitializeAsync()
    {
        // One after the other: each publish keeps the two cores busy.
        _demo = await PublishedWorkerApp.PublishAsync("samples/FunctionsDemo/FunctionsDemo.csproj");
        _fixture = await PublishedWorkerApp.PublishAsync("tests/Fixtures/SessionsWorkerApp/SessionsWorkerApp.csproj");
    }

    public async Task DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }

        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}
