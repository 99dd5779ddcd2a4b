using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>
/// The <c>distributedcache</c> store over Microsoft.Extensions.Caching.StackExchangeRedis's <see cref="IDistributedCache"/>
/// against the real Redis: sessions shared by two app instances, the entry's time to live, last writer wins.
/// </summary>
public sealed class DistributedCacheOnRedisTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Two_instances_share_sessions_through_the_Redis_backed_IDistributedCache()
    {
        string instance = RedisServer.NewKeyPrefix();
        await using var first = await StartAsync(instance);
        await using var second = await StartAsync(instance);
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();

        Assert.Equal("1", await onFirst.GetStringAsync("/count"));
        onSecond.Cookies["session"] = onFirst.SessionCookie!;
        Assert.Equal("2", await onSecond.GetStringAsync("/count"));
        Assert.Equal("2", await onFirst.GetStringAsync("/counter"));

        using var inspection = RedisInspection.Connect(redis);
        string key = Assert.Single(inspection.Keys(instance));
        Assert.StartsWith(instance + DistributedCacheStoreOptions.DefaultKeyPrefix, key, StringComparison.Ordinal);
        var ttl = await inspection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task The_store_over_Redis_keeps_expiry_and_the_last_writer_wins()
    {
        using var cache = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = redis.Configuration, InstanceName = RedisServer.NewKeyPrefix() }));
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new DistributedCacheStore(cache, Options.Create(new DistributedCacheStoreOptions()), clock);
        string key = StoreUnderTest.NewKey();

        await store.SetAsync(key, new StoredSession { Data = """{"a":1}""", ExpiresAt = clock.GetUtcNow().AddMinutes(5) }, default);
        await store.SetAsync(key, new StoredSession { Data = """{"b":2}""", ExpiresAt = clock.GetUtcNow().AddMinutes(5), Version = "ignored" }, default);

        var stored = await store.GetAsync(key, default);
        Assert.Equal("""{"b":2}""", stored!.Data);
        Assert.Null(stored.Version);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await store.GetAsync(key, default));
    }

    private Task<KestrelApp> StartAsync(string instance) =>
        SessionTestApp.StartAsync(
            options =>
            {
                options.Store = DistributedCacheStore.StoreName;
                options.ExpireAfter = TimeSpan.FromHours(1);
            },
            stores: sessions => sessions.AddDistributedCacheStore().Services.AddStackExchangeRedisCache(options =>
            {
                options.Configuration = redis.Configuration;
                options.InstanceName = instance;
            }));
}
