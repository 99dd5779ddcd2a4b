using SessionsServerless.Browser.Tests.Support;
using StackExchange.Redis;

namespace SessionsServerless.Browser.Tests;

/// <summary>The demo's login flow in Chromium on Kestrel with sessions in a real Redis (Debian's redis-server).</summary>
[Collection(BrowserCollection.Name)]
public sealed class RedisBrowserTests : IClassFixture<RedisServer>
{
    private readonly ChromiumFixture _chromium;
    private readonly RedisServer _redis;

    public RedisBrowserTests(ChromiumFixture chromium, RedisServer redis)
    {
        _chromium = chromium;
        _redis = redis;
    }

    [Fact]
    public async Task The_login_flow_works_on_Kestrel_with_sessions_in_Redis()
    {
        string prefix = RedisServer.NewKeyPrefix();
        await using var app = await LoginDemoHost.StartAsync(
            "redis", $"--Sessions:Redis:Configuration={_redis.Configuration}", $"--Sessions:Redis:KeyPrefix={prefix}");

        await BrowserLoginFlow.RunAsync(_chromium.Browser, app.BaseAddress, "kestrel-redis");

        using var inspection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        Assert.NotEmpty(inspection.GetServers()[0].Keys(pattern: prefix + "*"));
    }
}
