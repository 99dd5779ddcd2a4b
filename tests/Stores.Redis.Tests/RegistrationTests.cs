using System.Net;
using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>
/// <c>AddRedisStore</c>: configuration under <c>Sessions:Redis</c>, a registered connection winning, and
/// misconfigurations that stop the app at startup with what to set, never repeating a password.
/// </summary>
public sealed class RegistrationTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Json = """{"_data":{},"_expire":null,"_delete":false,"_accessed":null}""";

    [Fact]
    public async Task Sessions_Store_redis_selects_the_store_bound_from_Sessions_Redis()
    {
        string prefix = RedisServer.NewKeyPrefix();
        using var services = FromConfiguration([new("Sessions:Redis:Configuration", redis.Configuration), new("Sessions:Redis:KeyPrefix", prefix)]);
        using var inspection = RedisInspection.Connect(redis);

        var store = Assert.IsType<RedisSessionStore>(services.GetSessionStore());
        string key = StoreUnderTest.NewKey();
        await store.SetAsync(key, new StoredSession { Data = Json }, default);

        Assert.Equal([prefix + key], inspection.Keys(prefix));
        Assert.Same(store, services.GetSessionStore());
    }

    [Fact]
    public async Task A_registered_IConnectionMultiplexer_wins_over_the_configuration_string()
    {
        string prefix = RedisServer.NewKeyPrefix();
        using var registered = RedisInspection.Connect(redis);
        using var services = FromConfiguration(
            [new("Sessions:Redis:Configuration", $"127.0.0.1:{ClosedPort()}"), new("Sessions:Redis:KeyPrefix", prefix)],
            collection => collection.AddSingleton<IConnectionMultiplexer>(registered));

        string key = StoreUnderTest.NewKey();
        await services.GetSessionStore()!.SetAsync(key, new StoredSession { Data = Json }, default);

        Assert.Equal([prefix + key], registered.Keys(prefix));
        services.Dispose();
        Assert.True(registered.IsConnected, "The store must not dispose a connection the app registered.");
    }

    [Fact]
    public void The_documented_environment_variables_configure_the_store()
    {
        string prefix = "SSTEST" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "Sessions__Store", "redis");
        Environment.SetEnvironmentVariable(prefix + "Sessions__Redis__Configuration", redis.Configuration);
        Environment.SetEnvironmentVariable(prefix + "Sessions__Redis__KeyPrefix", "fromenvironment:");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var collection = new ServiceCollection();
            collection.AddSessions(configuration).AddRedisStore();
            using var services = collection.BuildServiceProvider();

            Assert.IsType<RedisSessionStore>(services.GetSessionStore());
            Assert.Equal("fromenvironment:", services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value.KeyPrefix);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Sessions__Store", null);
            Environment.SetEnvironmentVariable(prefix + "Sessions__Redis__Configuration", null);
            Environment.SetEnvironmentVariable(prefix + "Sessions__Redis__KeyPrefix", null);
        }
    }

    [Fact]
    public async Task Registering_the_store_costs_nothing_while_another_store_is_selected()
    {
        var app = LoginDemoApp.Build(["--urls=http://127.0.0.1:0", "--Sessions:Store=memory", "--Sessions:EncryptionKey=" + "redis-tests-key-Q7f2mX9pL4vN8cR1"], Quiet);
        await app.StartAsync();
        var store = app.Services.GetSessionStore();
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.IsType<MemoryStore>(store);
    }

    [Fact]
    public async Task A_Redis_that_is_down_at_startup_does_not_stop_the_app_and_requests_get_503()
    {
        var app = LoginDemoApp.Build(
            ["--urls=http://127.0.0.1:0", "--Sessions:Store=redis", "--Sessions:EncryptionKey=" + "redis-tests-key-Q7f2mX9pL4vN8cR1",
             $"--Sessions:Redis:Configuration=127.0.0.1:{ClosedPort()},connectTimeout=500,asyncTimeout=500"],
            Quiet);
        await using var running = await KestrelApp.StartAsync(app);
        using var browser = running.CreateClient();

        using var response = await browser.GetAsync("/counter");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData(new string[0], "nothing says where Redis is. Set Sessions:Redis:Configuration")]
    [InlineData(new[] { "--Sessions:Redis:Configuration=localhost:6379,password=hunter2secret,ssl=maybe" }, "Sessions:Redis:Configuration is not a valid StackExchange.Redis configuration string")]
    [InlineData(new[] { "--Sessions:Redis:Configuration=password=hunter2secret" }, "Sessions:Redis:Configuration names no server")]
    [InlineData(new[] { "--Sessions:Redis:Configuration=localhost:6379", "--Sessions:Redis:MaxSessionSize=0" }, "Sessions:Redis:MaxSessionSize must be a positive number of bytes")]
    [InlineData(new[] { "--Sessions:Redis:Configuration=localhost:6379", "--Sessions:Redis:TimeToLiveWithoutExpiry=-00:01:00" }, "Sessions:Redis:TimeToLiveWithoutExpiry must be positive")]
    public async Task A_misconfigured_redis_store_stops_the_app_at_startup_with_what_to_set(string[] settings, string expected)
    {
        var app = LoginDemoApp.Build(
            ["--urls=http://127.0.0.1:0", "--Sessions:Store=redis", "--Sessions:EncryptionKey=" + "redis-tests-key-Q7f2mX9pL4vN8cR1", .. settings],
            Quiet);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        await app.DisposeAsync();

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", failure.ToString(), StringComparison.Ordinal);
    }

    private static ServiceProvider FromConfiguration(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Sessions:Store", RedisSessionStore.StoreName), .. settings])
            .Build();
        var collection = new ServiceCollection();
        collection.AddSessions(configuration).AddRedisStore();
        services?.Invoke(collection);
        return collection.BuildServiceProvider(validateScopes: true);
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private static int ClosedPort() => TestEnvironment.FreeLoopbackPort();
}
