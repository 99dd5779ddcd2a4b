using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace SessionsServerless.Tests.Stores;

public sealed class MemoryStoreTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Stores_reads_replaces_and_deletes_a_session()
    {
        var store = NewStore();

        string? v1 = await store.SetAsync("k", Stored("one"), default);
        var read = await store.GetAsync("k", default);
        string? v2 = await store.SetAsync("k", Stored("two", version: read!.Version), default);
        var updated = await store.GetAsync("k", default);
        await store.DeleteAsync("k", default);

        Assert.Equal("one", read.Data);
        Assert.Equal(v1, read.Version);
        Assert.Equal("two", updated!.Data);
        Assert.Equal(v2, updated.Version);
        Assert.NotEqual(v1, v2);
        Assert.Null(await store.GetAsync("k", default));
        await store.DeleteAsync("k", default);
    }

    [Fact]
    public async Task A_write_based_on_an_old_version_is_a_conflict()
    {
        var store = NewStore();
        await store.SetAsync("k", Stored("one"), default);
        var first = await store.GetAsync("k", default);
        await store.SetAsync("k", Stored("two", version: first!.Version), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => store.SetAsync("k", Stored("three", version: first.Version), default));
        Assert.Equal("two", (await store.GetAsync("k", default))!.Data);
    }

    [Fact]
    public async Task Creating_a_session_that_exists_is_a_conflict_and_updating_one_that_was_deleted_too()
    {
        var store = NewStore();
        await store.SetAsync("k", Stored("one"), default);
        var read = await store.GetAsync("k", default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => store.SetAsync("k", Stored("again"), default));
        await store.DeleteAsync("k", default);
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => store.SetAsync("k", Stored("late", version: read!.Version), default));
    }

    [Fact]
    public async Task An_expired_session_reads_as_absent_and_is_evicted()
    {
        var store = NewStore();
        await store.SetAsync("k", Stored("one", expiresAt: _clock.GetUtcNow().AddMinutes(1)), default);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await store.GetAsync("k", default));
        Assert.Equal(0, store.Count);
        await store.SetAsync("k", Stored("new"), default);
    }

    [Fact]
    public async Task Purge_removes_only_expired_sessions_and_says_how_many()
    {
        var store = NewStore();
        for (int i = 0; i < 5; i++)
        {
            await store.SetAsync($"old{i}", Stored("x", expiresAt: _clock.GetUtcNow().AddMinutes(1)), default);
        }

        await store.SetAsync("forever", Stored("x"), default);
        await store.SetAsync("later", Stored("x", expiresAt: _clock.GetUtcNow().AddHours(1)), default);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(5, await store.PurgeExpiredAsync(default));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Writes_sweep_expired_sessions_once_per_interval()
    {
        var store = NewStore(new MemoryStoreOptions { SweepInterval = TimeSpan.FromMinutes(5) });
        await store.SetAsync("old", Stored("x", expiresAt: _clock.GetUtcNow().AddMinutes(1)), default);

        _clock.Advance(TimeSpan.FromMinutes(6));
        await store.SetAsync("new", Stored("x"), default);

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task A_full_store_evicts_expired_sessions_first_then_the_least_recently_written()
    {
        var store = NewStore(new MemoryStoreOptions { Capacity = 10 });
        await store.SetAsync("expired", Stored("x", expiresAt: _clock.GetUtcNow().AddSeconds(1)), default);
        for (int i = 0; i < 9; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await store.SetAsync($"s{i}", Stored("x"), default);
        }

        await store.SetAsync("newest", Stored("x"), default);
        Assert.Equal(10, store.Count);
        Assert.Null(await store.GetAsync("expired", default));

        await store.SetAsync("one-more", Stored("x"), default);
        Assert.Equal(10, store.Count);
        Assert.Null(await store.GetAsync("s0", default));
        Assert.NotNull(await store.GetAsync("newest", default));
    }

    [Fact]
    public void A_capacity_of_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewStore(new MemoryStoreOptions { Capacity = 0 }));
    }

    [Fact]
    public async Task Parallel_writers_on_one_session_each_either_win_or_get_a_conflict()
    {
        var store = NewStore();
        await store.SetAsync("k", Stored("0"), default);
        var read = await store.GetAsync("k", default);

        var results = await Task.WhenAll(Enumerable.Range(1, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.SetAsync("k", Stored(i.ToString(System.Globalization.CultureInfo.InvariantCulture), version: read!.Version), default);
                return true;
            }
            catch (SessionConcurrencyException)
            {
                return false;
            }
        })));

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task A_session_over_the_size_limit_is_refused_and_the_stored_one_stays()
    {
        var store = NewStore(new MemoryStoreOptions { MaxSessionSize = 100 });
        string? version = await store.SetAsync("k", Stored("small"), default);

        // 40 characters of three UTF-8 bytes each: 120 bytes.
        var refused = await Assert.ThrowsAsync<SessionTooLargeException>(() => store.SetAsync("k", Stored(new string('\u20ac', 40), version), default));

        Assert.Equal((120, 100, "memory"), (refused.Size, refused.Limit, refused.Store));
        Assert.Contains("'memory' session store", refused.Message, StringComparison.Ordinal);
        var stored = await store.GetAsync("k", default);
        Assert.Equal(("small", version), (stored!.Data, stored.Version));
        Assert.Equal(MemoryStoreOptions.DefaultMaxSessionSize, new MemoryStoreOptions().MaxSessionSize);
        await store.SetAsync("k", Stored(new string('x', 100), version), default);
    }

    [Fact]
    public async Task A_delete_with_a_version_removes_the_session_only_while_it_has_that_version()
    {
        var store = NewStore();
        string? first = await store.SetAsync("k", Stored("a"), default);
        string? second = await store.SetAsync("k", Stored("b", first), default);

        await ((ISessionStore)store).DeleteAsync("k", first, default);
        Assert.NotNull(await store.GetAsync("k", default));

        await ((ISessionStore)store).DeleteAsync("k", second, default);
        Assert.Null(await store.GetAsync("k", default));
    }

    private MemoryStore NewStore(MemoryStoreOptions? options = null) => new(_clock, Options.Create(options ?? new MemoryStoreOptions()));

    private static StoredSession Stored(string data, string? version = null, DateTimeOffset? expiresAt = null) =>
        new() { Data = data, Version = version, ExpiresAt = expiresAt };
}
