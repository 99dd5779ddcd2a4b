namespace SessionsServerless.Browser.Tests.Support;

/// <summary>samples/FunctionsDemo published once for the browser tests, to run through the local Functions host.</summary>
public sealed class PublishedFunctionsDemo : IAsyncLifetime
{
    private PublishedWorkerApp? _app;

    /// <summary>Starts the published demo under a new local host with <paramref name="settings"/>.</summary>
    public async Task<WorkerFunctionsHost> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Sessions__EncryptionKey"] = "browser-tests-only-key-0123456789abcdefghijklmnop",
            ["SessionsPurgeSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var host = await WorkerFunctionsHost.StartAsync((_app ?? throw new InvalidOperationException("Not published.")).Folder, all);

        // A fresh worker on a loaded machine can miss the ASP.NET Core integration's 5-second window for matching its very
        // first request with its invocation (JIT); warm it up with a request that sets no cookie, up to three times.
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            using var response = await client.GetAsync("/read");
            if (response.IsSuccessStatusCode)
            {
                break;
            }
        }

        return host;
    }

    public async Task InitializeAsync() =>
        _app = await PublishedWorkerApp.PublishAsync("samples/FunctionsDemo/FunctionsDemo.csproj");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
