using Azure.Data.Tables;
using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// The demo's login flow in Chromium with sessions in Azure Table Storage (Azurite): on Kestrel, and on the Azure
/// Functions path through the host harness with the function app's settings (Sessions__Store,
/// Sessions__AzureTables__TableName), Azurite's connection string standing in for the managed-identity endpoint that
/// infra/main.bicep sets.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TableBrowserTests : IClassFixture<AzuriteServer>
{
    private readonly ChromiumFixture _chromium;
    private readonly PublishedDemo _published;
    private readonly AzuriteServer _azurite;

    public TableBrowserTests(ChromiumFixture chromium, PublishedDemo published, AzuriteServer azurite)
    {
        _chromium = chromium;
        _published = published;
        _azurite = azurite;
    }

    [Fact]
    public async Task The_login_flow_works_on_Kestrel_with_sessions_in_Azure_Table_Storage()
    {
        var table = await _azurite.CreateTableAsync();
        await using var app = await LoginDemoHost.StartAsync(
            "table", $"--Sessions:AzureTables:ConnectionString={_azurite.ConnectionString}", $"--Sessions:AzureTables:TableName={table.Name}");

        await BrowserLoginFlow.RunAsync(_chromium.Browser, app.BaseAddress, "kestrel-table");

        Assert.NotEmpty(table.Query<TableEntity>());
    }

    [Fact]
    public async Task The_login_flow_works_through_the_Functions_host_with_sessions_in_Azure_Table_Storage()
    {
        var table = await _azurite.CreateTableAsync();
        await using var handler = await _published.StartAsync(new Dictionary<string, string>
        {
            ["Sessions__Store"] = "table",
            ["Sessions__AzureTables__ConnectionString"] = _azurite.ConnectionString,
            ["Sessions__AzureTables__TableName"] = table.Name,
        });
        await using var frontDoor = await FunctionsFrontDoor.StartAsync(handler.Host);

        await BrowserLoginFlow.RunAsync(_chromium.Browser, frontDoor.Address, "functions-table", () => handler.Output);

        Assert.NotEmpty(table.Query<TableEntity>());
    }
}
