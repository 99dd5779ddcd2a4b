using System.Net;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Stores;

/// <summary>The <see cref="IDistributedCache"/> store over the in-memory <see cref="MemoryDistributedCache"/>.</summary>
public sealed class DistributedCacheStoreTests
{
    private const string Json = """{"_data":{"a":1},"_expire":null,"_delete":false,"_accessed":null}""";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryDistributedCache _cache = new(Options.Create(new MemoryDistributedCacheOptions()));

    [Fact]
    public async Task A_session_reads_back_with_its_expiry_and_no_version_under_the_prefixed_key()
    {
        var store = NewStore();
        string key = NewKey();
        var expiresAt = _clock.GetUtcNow().AddMinutes(20);

        Assert.Null(await store.SetAsync(key, new StoredSession { Data = Json, ExpiresAt = expiresAt }, default));
        var stored = await store.GetAsync(key, default);

        Assert.Equal(Json, stored!.Data);
        Assert.Equal(expiresAt, stored.ExpiresAt);
        Assert.Null(stored.Version);
        Assert.NotNull(await _cache.GetAsync("sessions:" + key));
        Assert.Null(await store.GetAsync(NewKey(), default));
    }

    [Fact]
    public async Task The_last_writer_wins_whatever_version_it_read()
    {
        var store = NewStore();
        string key = NewKey();
        await store.SetAsync(key, new StoredSession { Data = """{"first":1}""" }, default);

        await store.SetAsync(key, new StoredSession { Data = """{"second":1}""", Version = "stale" }, default);
        await store.SetAsync(key, new StoredSession { Data = """{"third":1}""" }, default);

        Assert.Equal("""{"third":1}""", (await store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_session_whose_expiry_passed_on_the_app_clock_reads_as_absent_and_a_delete_removes_it()
    {
        var store = NewStore();
        string expiring = NewKey();
        string deleted = NewKey();
        await store.SetAsync(expiring, new StoredSession { Data = Json, ExpiresAt = _clock.GetUtcNow().AddMinutes(1) }, default);
        await store.SetAsync(deleted, new StoredSession { Data = Json }, default);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await store.DeleteAsync(deleted, default);

        Assert.Null(await store.GetAsync(expiring, default));
        Assert.Null(await store.GetAsync(deleted, default));
    }

    [Fact]
    public async Task A_session_over_the_size_limit_is_refused_before_the_cache_is_called()
    {
        var store = NewStore(options => options.MaxSessionSize = 50);
        string key = NewKey();
        await store.SetAsync(key, new StoredSession { Data = "{}" }, default);

        var refused = await Assert.ThrowsAsync<SessionTooLargeException>(() => store.SetAsync(key, new StoredSession { Data = new string('x', 51) }, default));

        Assert.Equal((51, 50, "distributedcache"), (refused.Size, refused.Limit, refused.Store));
        Assert.Equal("{}", (await store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_failing_cache_is_a_store_failure_the_middleware_answers_with_503()
    {
        var store = new DistributedCacheStore(new BrokenCache(), Options.Create(new DistributedCacheStoreOptions()), _clock);

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(NewKey(), default));

        Assert.Contains("The distributed cache (BrokenCache) failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_middleware_sessions_live_in_the_registered_cache()
    {
        await using var app = await SessionTestApp.StartAsync(
            options => options.Store = DistributedCacheStore.StoreName,
            stores: sessions => sessions.AddDistributedCacheStore().Services.AddDistributedMemoryCache());
        using var browser = app.CreateClient();

        Assert.Equal("1", await browser.GetStringAsync("/count"));
        Assert.Equal("2", await browser.GetStringAsync("/count"));
        using (var rotate = await browser.PostAsync("/rotate"))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        Assert.Equal("2", await browser.GetStringAsync("/counter"));
        Assert.IsType<DistributedCacheStore>(app.Services.GetSessionStore());
    }

    [Fact]
    public async Task Selecting_the_store_without_a_registered_cache_stops_the_app_with_what_to_register()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await SessionTestApp.StartAsync(
                options => options.Store = DistributedCacheStore.StoreName,
                stores: sessions => sessions.AddDistributedCacheStore());
        });

        Assert.Contains("registers no IDistributedCache", failure.ToString(), StringComparison.Ordinal);
    }

    private DistributedCacheStore NewStore(Action<DistributedCacheStoreOptions>? configure = null)
    {
        var options = new DistributedCacheStoreOptions();
        configure?.Invoke(options);
        return new DistributedCacheStore(_cache, Options.Create(options), _clock);
    }

    private static string NewKey() =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));

    private sealed class BrokenCache : IDistributedCache
    {
        public byte[]? Get(string key) => throw new IOException("connection refused");

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new IOException("connection refused");

        public void Refresh(string key) => throw new IOException("connection refused");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new IOException("connection refused");

        public void Remove(string key) => throw new IOException("connection refused");

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new IOException("connection refused");

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new IOException("connection refused");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new IOException("connection refused");
    }
}
