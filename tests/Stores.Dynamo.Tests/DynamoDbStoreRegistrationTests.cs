using System.Net;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// AddDynamoDbStore: configuration names, where the client comes from (the app's services, Sessions:DynamoDb:ServiceUrl,
/// the standard AWS settings), and startup failures that say what to set.
/// </summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class DynamoDbStoreRegistrationTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    [Fact]
    public async Task Sessions_DynamoDb_settings_give_the_store_its_table_and_its_own_client_for_a_local_server()
    {
        using var environment = new AwsEnvironment();
        string table = await dynalite.CreateTableAsync();
        await using var demo = await DemoServer.StartAsync(
            ["--Sessions:Store=dynamodb", $"--Sessions:DynamoDb:TableName={table}", $"--Sessions:DynamoDb:ServiceUrl={dynalite.ServiceUrl}"]);
        using var browser = new SessionBrowser();

        Assert.Equal(1, await browser.CountAsync(demo));
        Assert.Equal(2, await browser.CountAsync(demo));

        using var client = dynalite.CreateClient();
        Assert.Single(await SessionTable.ScanAsync(client, table));
    }

    [Fact]
    public async Task The_standard_AWS_endpoint_variable_points_the_store_at_a_local_server()
    {
        using var environment = new AwsEnvironment(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_DYNAMODB", dynalite.ServiceUrl));
        string table = await dynalite.CreateTableAsync();
        await using var demo = await DemoServer.StartAsync(["--Sessions:Store=dynamodb", $"--Sessions:DynamoDb:TableName={table}"]);
        using var browser = new SessionBrowser();

        Assert.Equal(1, await browser.CountAsync(demo));

        using var client = dynalite.CreateClient();
        Assert.Single(await SessionTable.ScanAsync(client, table));
    }

    [Fact]
    public async Task Without_a_region_or_an_endpoint_the_app_stops_at_startup_saying_what_to_set()
    {
        using var environment = new AwsEnvironment();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => DemoServer.StartAsync(["--Sessions:Store=dynamodb"]));

        Assert.Contains("Set AWS_REGION", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:DynamoDb:ServiceUrl", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_on_another_store_starts_without_any_AWS_settings()
    {
        using var environment = new AwsEnvironment();
        await using var demo = await DemoServer.StartAsync(["--Sessions:Store=cookie", $"--Sessions:EncryptionKey={DemoServer.EncryptionKey}"]);
        using var browser = new SessionBrowser();

        Assert.Equal(1, await browser.CountAsync(demo));
    }

    [Theory]
    [InlineData("--Sessions:DynamoDb:TableName=x", "Sessions:DynamoDb:TableName must be 3 to 255 letters")]
    [InlineData("--Sessions:DynamoDb:ServiceUrl=localhost:8000", "Sessions:DynamoDb:ServiceUrl must be an absolute http or https URL")]
    public async Task Invalid_settings_stop_the_app_at_startup_naming_the_setting(string setting, string expected)
    {
        using var environment = new AwsEnvironment(("AWS_REGION", "eu-west-1"));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => DemoServer.StartAsync(["--Sessions:Store=dynamodb", setting]));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ServiceUrl_next_to_the_app_s_own_client_stops_the_app_rather_than_being_ignored()
    {
        using var client = dynalite.CreateClient();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DemoServer.StartOnDynamoDbAsync(client, "sessions", ["--Sessions:DynamoDb:ServiceUrl=http://localhost:8000"]));

        Assert.Contains("registers its own IAmazonDynamoDB client", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_settings_apply_after_configuration_and_the_default_table_is_sessions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:DynamoDb:TableName"] = "from-configuration" })
            .Build();

        Assert.Equal("from-configuration", TableNameAfter(services => services.AddSessions(configuration).AddDynamoDbStore()));
        Assert.Equal("from-code", TableNameAfter(services => services.AddSessions(configuration).AddDynamoDbStore(o => o.TableName = "from-code")));
        Assert.Equal("sessions", TableNameAfter(services => services.AddSessions().AddDynamoDbStore()));
    }

    [Fact]
    public async Task The_store_uses_the_client_the_app_registered_and_leaves_it_open()
    {
        var calls = new RequestCounter();
        using var client = dynalite.CreateClient(calls);
        string table = await dynalite.CreateTableAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAmazonDynamoDB>(client);
        services.AddSessions(o => o.Store = "dynamodb").AddDynamoDbStore(o => o.TableName = table);
        var provider = services.BuildServiceProvider();

        var store = Assert.IsType<DynamoDbSessionStore>(provider.GetSessionStore());
        Assert.Null(await store.GetAsync(SessionTable.RandomKey(), default));
        Assert.Equal(1, calls["GetItem"]);
        await provider.DisposeAsync();

        // The store does not dispose a client it did not create.
        Assert.NotNull(await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest()));
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData("2", 2)]
    public async Task The_store_s_own_client_makes_the_attempts_the_standard_settings_give_not_DynamoDB_s_eleven(string? maxAttempts, int expected)
    {
        await using var server = await CannedDynamoDbServer.StartAsync(HttpStatusCode.InternalServerError, "InternalServerError", "Internal server error");
        using var environment = maxAttempts is null ? new AwsEnvironment() : new AwsEnvironment(("AWS_MAX_ATTEMPTS", maxAttempts));
        var services = new ServiceCollection().AddLogging();
        services.AddSessions(o => o.Store = "dynamodb").AddDynamoDbStore(o => o.ServiceUrl = server.ServiceUrl);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetSessionStore()!;

        await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(SessionTable.RandomKey(), default));

        Assert.Equal(expected, server.Requests);
    }

    private static string TableNameAfter(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DynamoDbSessionStoreOptions>>().Value.TableName;
    }
}
