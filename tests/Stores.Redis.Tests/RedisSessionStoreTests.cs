using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>The store's contract against a real Redis: hashes, versions, time to live, conflicts, sizes and deletes.</summary>
public sealed class RedisSessionStoreTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private const string Json = """{"_data":{"a":1},"_expire":null,"_delete":false,"_accessed":null}""";

    private readonly StoreUnderTest _under = new(redis);

    private RedisSessionStore Store => _under.Store;

    public void Dispose() => _under.Dispose();

    [Fact]
    public async Task Get_returns_null_for_a_key_never_written()
    {
        Assert.Null(await Store.GetAsync(StoreUnderTest.NewKey(), default));
    }

    [Fact]
    public async Task A_new_session_reads_back_with_its_data_expiry_and_version_under_the_prefixed_hash_key()
    {
        string key = StoreUnderTest.NewKey();
        var session = _under.Session(Json, TimeSpan.FromMinutes(30));

        string? version = await Store.SetAsync(key, session, default);
        var stored = await Store.GetAsync(key, default);

        Assert.Equal("1", version);
        Assert.NotNull(stored);
        Assert.Equal(Json, stored.Data);
        Assert.Equal("1", stored.Version);
        Assert.Equal(session.ExpiresAt, stored.ExpiresAt);
        Assert.Equal([_under.Prefix + key], _under.Connection.Keys(_under.Prefix));
        var fields = (await _under.Database.HashGetAllAsync(_under.Prefix + key)).Select(entry => entry.Name.ToString()).Order();
        Assert.Equal(["d", "e", "t", "v"], fields);
    }

    [Fact]
    public async Task Every_key_gets_a_time_to_live_from_the_expiry_or_the_bound_for_sessions_without_one()
    {
        string expiring = StoreUnderTest.NewKey();
        string unexpiring = StoreUnderTest.NewKey();

        await Store.SetAsync(expiring, _under.Session(Json, TimeSpan.FromMinutes(20)), default);
        await Store.SetAsync(unexpiring, _under.Session(Json), default);

        var ttl = await _under.Database.KeyTimeToLiveAsync(_under.Prefix + expiring);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(20));
        var bounded = await _under.Database.KeyTimeToLiveAsync(_under.Prefix + unexpiring);
        Assert.InRange(bounded!.Value, TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(14));
    }

    [Fact]
    public async Task An_update_based_on_the_current_version_lands_and_renews_the_time_to_live()
    {
        string key = StoreUnderTest.NewKey();
        string? first = await Store.SetAsync(key, _under.Session(Json, TimeSpan.FromMinutes(5)), default);

        string? second = await Store.SetAsync(key, _under.Session("""{"_data":{"a":2}}""", TimeSpan.FromHours(1), first), default);

        Assert.Equal("2", second);
        Assert.Equal("""{"_data":{"a":2}}""", (await Store.GetAsync(key, default))!.Data);
        Assert.InRange((await _under.Database.KeyTimeToLiveAsync(_under.Prefix + key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task An_update_based_on_an_old_version_is_a_conflict_and_changes_nothing()
    {
        string key = StoreUnderTest.NewKey();
        string? first = await Store.SetAsync(key, _under.Session(Json), default);
        await Store.SetAsync(key, _under.Session("""{"winner":true}""", version: first), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => Store.SetAsync(key, _under.Session("""{"loser":true}""", version: first), default));

        var stored = await Store.GetAsync(key, default);
        Assert.Equal("""{"winner":true}""", stored!.Data);
        Assert.Equal("2", stored.Version);
    }

    [Fact]
    public async Task Creating_a_session_whose_key_holds_a_live_one_is_a_conflict_but_an_expired_leftover_is_replaced()
    {
        string key = StoreUnderTest.NewKey();
        await Store.SetAsync(key, _under.Session(Json, TimeSpan.FromMinutes(10)), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => Store.SetAsync(key, _under.Session("""{"other":1}"""), default));

        _under.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await Store.GetAsync(key, default));
        Assert.Equal("2", await Store.SetAsync(key, _under.Session("""{"fresh":1}""", TimeSpan.FromMinutes(10)), default));
        Assert.Equal("""{"fresh":1}""", (await Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task An_update_of_a_removed_or_expired_session_is_a_conflict()
    {
        string removed = StoreUnderTest.NewKey();
        string? version = await Store.SetAsync(removed, _under.Session(Json), default);
        await Store.DeleteAsync(removed, default);
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => Store.SetAsync(removed, _under.Session(Json, version: version), default));
        Assert.Empty(_under.Connection.Keys(_under.Prefix));

        string expired = StoreUnderTest.NewKey();
        version = await Store.SetAsync(expired, _under.Session(Json, TimeSpan.FromMinutes(1)), default);
        _under.Clock.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => Store.SetAsync(expired, _under.Session(Json, TimeSpan.FromMinutes(1), version), default));
    }

    [Fact]
    public async Task A_delete_with_a_version_removes_the_session_only_while_it_has_that_version()
    {
        string key = StoreUnderTest.NewKey();
        string? first = await Store.SetAsync(key, _under.Session(Json), default);
        string? second = await Store.SetAsync(key, _under.Session(Json, version: first), default);

        await Store.DeleteAsync(key, first, default);
        Assert.NotNull(await Store.GetAsync(key, default));

        await Store.DeleteAsync(key, second, default);
        Assert.Null(await Store.GetAsync(key, default));
        await Store.DeleteAsync(key, default);
    }

    [Fact]
    public async Task A_session_over_the_size_limit_is_refused_before_anything_is_sent_and_the_saved_one_stays()
    {
        using var small = new StoreUnderTest(redis, options => options.MaxSessionSize = 2000);
        string key = StoreUnderTest.NewKey();
        string? version = await small.Store.SetAsync(key, small.Session(Json), default);
        string huge = "{\"blob\":\"" + new string('x', 3000) + "\"}";

        var failure = await Assert.ThrowsAsync<SessionTooLargeException>(() => small.Store.SetAsync(key, small.Session(huge, version: version), default));

        Assert.Equal("redis", failure.Store);
        Assert.Equal(2000, failure.Limit);
        Assert.True(failure.Size > 3000);
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(Json, (await small.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_key_under_the_prefix_that_is_not_a_session_reads_as_absent_and_is_logged_without_the_key()
    {
        string key = StoreUnderTest.NewKey();
        await _under.Database.HashSetAsync(_under.Prefix + key, [new HashEntry("d", "{}"), new HashEntry("e", "soon")]);

        Assert.Null(await Store.GetAsync(key, default));

        var warning = Assert.Single(_under.Logs.Records, record => record.Level == LogLevel.Warning);
        Assert.DoesNotContain(key, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_under_the_prefix_of_another_type_fails_clearly_without_naming_the_key()
    {
        string key = StoreUnderTest.NewKey();
        await _under.Database.StringSetAsync(_under.Prefix + key, "not a hash");

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => Store.GetAsync(key, default));

        Assert.Contains("not a session this store wrote", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_that_are_not_the_hash_the_core_passes_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync("a-raw-session-id", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetAsync("a-raw-session-id", _under.Session(Json), default));
    }

    [Fact]
    public async Task A_write_sent_again_after_its_reply_was_lost_is_recognised_as_itself_not_a_conflict()
    {
        string key = StoreUnderTest.NewKey();
        RedisValue[] arguments = ["", Json, "", 60_000, "token-of-this-write", _under.Clock.GetUtcNow().ToUnixTimeMilliseconds()];
        RedisKey[] keys = [_under.Prefix + key];

        var first = await _under.Database.ScriptEvaluateAsync(RedisScripts.Set, keys, arguments);
        var again = await _under.Database.ScriptEvaluateAsync(RedisScripts.Set, keys, arguments);
        RedisValue[] another = ["", Json, "", 60_000, "token-of-another-write", _under.Clock.GetUtcNow().ToUnixTimeMilliseconds()];
        var rival = await _under.Database.ScriptEvaluateAsync(RedisScripts.Set, keys, another);

        Assert.Equal("1", (string?)first);
        Assert.Equal("1", (string?)again);
        Assert.True(rival.IsNull);
    }
}
