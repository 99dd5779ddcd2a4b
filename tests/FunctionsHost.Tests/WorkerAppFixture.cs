namespace SessionsServerless.FunctionsHost.Tests;

/// <summary>The fixture worker app (tests/Fixtures/IsolatedWorkerApp) published once, and one host running it for the tests that share it.</summary>
public sealed class WorkerAppFixture : IAsyncLifetime
{
    public const string Project = "tests/Fixtures/IsolatedWorkerApp/IsolatedWorkerApp.csproj";

    public const string TickMessage = "tick from the app settings";

    private PublishedWorkerApp? _app;
    private WorkerFunctionsHost? _host;

    public string Folder => _app?.Folder ?? throw new InvalidOperationException("Not published yet.");

    public WorkerFunctionsHost Host => _host ?? throw new InvalidOperationException("Not started yet.");

    public async Task InitializeAsync()
    {
        _app = await PublishedWorkerApp.PublishAsync(Project);
        _host = await WorkerFunctionsHost.StartAsync(Folder, new Dictionary<string, string> { ["TickMessage"] = TickMessage });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
