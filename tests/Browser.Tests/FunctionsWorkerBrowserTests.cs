using Azure.Data.Tables;
using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// The demo's login flow in Chromium on the Azure Functions isolated worker: samples/FunctionsDemo published and run
/// through the local Functions host (gRPC to the worker, the browser's requests proxied to the worker's HTTP endpoint).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FunctionsWorkerBrowserTests : IClassFixture<AzuriteServer>
{
    private readonly ChromiumFixture _chromium;
    private readonly PublishedFunctionsDemo _demo;
    private readonly AzuriteServer _azurite;

    public FunctionsWorkerBrowserTests(ChromiumFixture chromium, PublishedFunctionsDemo demo, AzuriteServer azurite)
    {
        _chromium = chromium;
        _demo = demo;
        _azurite = azurite;
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_login_flow_works_on_the_isolated_worker(string store)
    {
        await using var host = await _demo.StartAsync(new Dictionary<string, string> { ["Sessions__Store"] = store });

        await BrowserLoginFlow.RunAsync(_chromium.Browser, host.BaseAddress, $"worker-{store}", () => host.WorkerOutput);
    }

    [Fact]
    public async Task The_login_flow_works_on_the_isolated_worker_with_sessions_in_Azure_Table_Storage()
    {
        var table = await _azurite.CreateTableAsync();
        await using var host = await _demo.StartAsync(new Dictionary<string, string>
        {
            ["Sessions__Store"] = "table",
            ["Sessions__AzureTables__ConnectionString"] = _azurite.ConnectionString,
            ["Sessions__AzureTables__TableName"] = table.Name,
        });

        await BrowserLoginFlow.RunAsync(_chromium.Browser, host.BaseAddress, "worker-table", () => host.WorkerOutput);

        Assert.NotEmpty(table.Query<TableEntity>());
    }
}
