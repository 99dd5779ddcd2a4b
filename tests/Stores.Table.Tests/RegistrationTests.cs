using Azure.Core;
using Azure.Data.Tables;
using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// <c>AddAzureTableStore</c>: configuration under <c>Sessions:AzureTables</c>, which client wins, managed identity, and
/// misconfigurations that stop the app at startup with what to set.
/// </summary>
public sealed class RegistrationTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Json = """{"_data":{},"_expire":null,"_delete":false,"_accessed":null}""";

    [Fact]
    public async Task Sessions_Store_table_selects_the_purgeable_store_bound_from_Sessions_AzureTables()
    {
        var table = await azurite.CreateTableAsync();
        using var services = StoreServices.FromConfiguration(
        [
            new("Sessions:AzureTables:ConnectionString", azurite.ConnectionString),
            new("Sessions:AzureTables:TableName", table.Name),
        ]);

        var store = Assert.IsType<AzureTableSessionStore>(services.GetSessionStore());
        string key = StoreUnderTest.NewKey();
        await store.SetAsync(key, new StoredSession { Data = Json }, default);

        Assert.IsAssignableFrom<IPurgeableSessionStore>(store);
        Assert.Equal(table.Name, store.TableName);
        Assert.Equal(key, (await table.GetEntityAsync<TableEntity>(key[..2], key)).Value.RowKey);
        Assert.Same(store, services.GetSessionStore());
    }

    [Fact]
    public void The_table_is_named_sessions_unless_configured_and_code_overrides_configuration()
    {
        using var unnamed = StoreServices.FromConfiguration([new("Sessions:AzureTables:ConnectionString", "UseDevelopmentStorage=true")]);
        using var overridden = StoreServices.FromConfiguration(
            [new("Sessions:AzureTables:ConnectionString", "UseDevelopmentStorage=true"), new("Sessions:AzureTables:TableName", "fromconfig")],
            services => services.Configure<AzureTableSessionStoreOptions>(options => options.TableName = "fromcode"));

        Assert.Equal("sessions", ((AzureTableSessionStore)unnamed.GetSessionStore()!).TableName);
        Assert.Equal("fromcode", ((AzureTableSessionStore)overridden.GetSessionStore()!).TableName);
    }

    [Fact]
    public void The_documented_environment_variables_configure_the_store()
    {
        string prefix = "SSTEST" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "Sessions__Store", "table");
        Environment.SetEnvironmentVariable(prefix + "Sessions__AzureTables__ConnectionString", "UseDevelopmentStorage=true");
        Environment.SetEnvironmentVariable(prefix + "Sessions__AzureTables__TableName", "fromenvironment");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var collection = new ServiceCollection();
            collection.AddSessions(configuration).AddAzureTableStore();
            using var services = collection.BuildServiceProvider();

            Assert.Equal("fromenvironment", Assert.IsType<AzureTableSessionStore>(services.GetSessionStore()).TableName);
        }
        finally
        {
            foreach (string name in new[] { "Sessions__Store", "Sessions__AzureTables__ConnectionString", "Sessions__AzureTables__TableName" })
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    [Fact]
    public async Task A_registered_TableClient_is_used_as_it_is_table_included()
    {
        var registered = await azurite.CreateTableAsync();
        using var services = StoreServices.FromCode(
            options => options.TableName = "ignoredname",
            collection => collection.AddSingleton(registered));

        var store = Assert.IsType<AzureTableSessionStore>(services.GetSessionStore());
        await store.SetAsync(StoreUnderTest.NewKey(), new StoredSession { Data = Json }, default);

        Assert.Equal(registered.Name, store.TableName);
        Assert.Single(registered.Query<TableEntity>());
    }

    [Fact]
    public async Task A_registered_TableServiceClient_serves_the_configured_table()
    {
        var table = await azurite.CreateTableAsync();
        using var services = StoreServices.FromCode(
            options => options.TableName = table.Name,
            collection => collection.AddSingleton(new TableServiceClient(azurite.ConnectionString)));

        await services.GetSessionStore()!.SetAsync(StoreUnderTest.NewKey(), new StoredSession { Data = Json }, default);

        Assert.Single(table.Query<TableEntity>());
    }

    [Fact]
    public async Task With_an_endpoint_the_store_asks_the_registered_TokenCredential_for_a_storage_token()
    {
        var credential = new RecordingCredential();
        using var services = StoreServices.FromConfiguration(
            [new("Sessions:AzureTables:Endpoint", $"https://127.0.0.1:{ClosedPort()}")],
            collection => collection.AddSingleton<TokenCredential>(credential));

        // Nothing listens there, so the request fails after the token was fetched.
        await Assert.ThrowsAsync<SessionStoreException>(() => services.GetSessionStore()!.GetAsync(StoreUnderTest.NewKey(), default));

        Assert.Contains("https://storage.azure.com/.default", credential.Scopes);
    }

    [Fact]
    public async Task When_no_token_can_be_obtained_the_error_says_how_to_give_the_app_an_identity()
    {
        using var services = StoreServices.FromConfiguration(
            [new("Sessions:AzureTables:Endpoint", "https://myaccount.table.core.windows.net")],
            collection => collection.AddSingleton<TokenCredential>(new RecordingCredential(available: false)));

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => services.GetSessionStore()!.GetAsync(StoreUnderTest.NewKey(), default));

        Assert.Contains("No Microsoft Entra token could be obtained for Azure Table Storage at https://myaccount.table.core.windows.net", failure.Message, StringComparison.Ordinal);
        Assert.Contains("enable a managed identity on the app", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_the_store_costs_nothing_while_another_store_is_selected()
    {
        var app = LoginDemoApp.Build(["--urls=http://127.0.0.1:0", "--Sessions:Store=memory", "--Sessions:EncryptionKey=registration_tests_key_at_least_32_chars"], Quiet);
        await app.StartAsync();
        var store = app.Services.GetSessionStore();
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.IsType<MemoryStore>(store);
    }

    [Theory]
    [InlineData(new string[0], "nothing says where the table is. Set Sessions:AzureTables:ConnectionString")]
    [InlineData(new[] { "--Sessions:AzureTables:ConnectionString=AccountName=me;AccountKey=hunter2secret" }, "Sessions:AzureTables:ConnectionString is not a valid Azure Storage connection string")]
    [InlineData(new[] { "--Sessions:AzureTables:Endpoint=http://myaccount.table.core.windows.net" }, "Sessions:AzureTables:Endpoint must be the table service's https address")]
    [InlineData(new[] { "--Sessions:AzureTables:ConnectionString=UseDevelopmentStorage=true", "--Sessions:AzureTables:TableName=user-sessions" }, "Sessions:AzureTables:TableName must be 3 to 63 letters and digits starting with a letter")]
    [InlineData(new[] { "--Sessions:AzureTables:ConnectionString=UseDevelopmentStorage=true", "--Sessions:AzureTables:TableName=1sessions" }, "Sessions:AzureTables:TableName must be")]
    [InlineData(new[] { "--Sessions:AzureTables:ConnectionString=UseDevelopmentStorage=true", "--Sessions:AzureTables:TableName=ab" }, "Sessions:AzureTables:TableName must be")]
    [InlineData(new[] { "--Sessions:AzureTables:ConnectionString=UseDevelopmentStorage=true", "--Sessions:AzureTables:TableName=Tables" }, "and not 'tables'")]
    public async Task A_misconfigured_table_store_stops_the_app_at_startup_with_what_to_set(string[] settings, string expected)
    {
        var app = LoginDemoApp.Build(
            ["--urls=http://127.0.0.1:0", "--Sessions:Store=table", "--Sessions:EncryptionKey=registration_tests_key_at_least_32_chars", .. settings],
            Quiet);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        await app.DisposeAsync();

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", failure.ToString(), StringComparison.Ordinal);
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
