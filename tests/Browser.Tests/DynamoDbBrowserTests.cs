using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// The demo's login flow in Chromium with sessions in DynamoDB (dynalite): on Kestrel, and on the Lambda path through
/// sessions-lambda-gateway with the settings a Lambda function gets from template.yaml (Sessions__Store,
/// Sessions__DynamoDb__TableName, AWS_REGION and credentials in the environment).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DynamoDbBrowserTests : IClassFixture<DynaliteServer>
{
    private readonly ChromiumFixture _chromium;
    private readonly DynaliteServer _dynalite;

    public DynamoDbBrowserTests(ChromiumFixture chromium, DynaliteServer dynalite)
    {
        _chromium = chromium;
        _dynalite = dynalite;
    }

    [Fact]
    public async Task The_login_flow_works_on_Kestrel_with_sessions_in_DynamoDB()
    {
        string table = await _dynalite.CreateTableAsync();
        using var client = _dynalite.CreateClient();
        await using var app = await LoginDemoHost.StartAsync(
            "dynamodb", builder => builder.Services.AddSingleton<IAmazonDynamoDB>(client), $"--Sessions:DynamoDb:TableName={table}");

        await BrowserLoginFlow.RunAsync(_chromium.Browser, app.BaseAddress, "kestrel-dynamodb");

        Assert.NotEmpty((await client.ScanAsync(new() { TableName = table })).Items);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v1")]
    public async Task The_login_flow_works_through_the_local_Lambda_gateway_with_sessions_in_DynamoDB(string events)
    {
        string table = await _dynalite.CreateTableAsync();
        await using var demo = await GatewayDemo.StartAsync(events, "dynamodb", new Dictionary<string, string?>
        {
            ["Sessions__DynamoDb__TableName"] = table,
            ["Sessions__DynamoDb__ServiceUrl"] = _dynalite.ServiceUrl,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });

        await BrowserLoginFlow.RunAsync(_chromium.Browser, demo.Address, $"lambda-{events}-dynamodb", () => demo.Output);

        using var client = _dynalite.CreateClient();
        Assert.NotEmpty((await client.ScanAsync(new() { TableName = table })).Items);
    }
}
