using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>The store's contract against Azurite: entity layout, versions, conflicts, deletion and read-side expiry.</summary>
public sealed class AzureTableSessionStoreTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Json = """{"_data":{"user":{"value":"ada","flash":false}},"_expire":null,"_delete":false,"_accessed":null}""";

    [Fact]
    public async Task A_new_session_is_stored_under_its_hashed_key_in_a_partition_named_by_its_first_two_characters()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        var expiresAt = subject.Clock.GetUtcNow().AddMinutes(30);

        string? version = await subject.Store.SetAsync(key, new StoredSession { Data = Json, ExpiresAt = expiresAt }, default);

        var entity = Assert.Single(await subject.EntitiesAsync());
        Assert.Equal(key[..2], entity.PartitionKey);
        Assert.Equal(key, entity.RowKey);
        Assert.Equal(Json, entity.GetString("Data"));
        Assert.Equal(expiresAt, entity.GetDateTimeOffset("ExpiresAt"));
        Assert.Equal(entity.ETag.ToString(), version);

        var stored = await subject.Store.GetAsync(key, default);
        Assert.NotNull(stored);
        Assert.Equal(Json, stored.Data);
        Assert.Equal(expiresAt, stored.ExpiresAt);
        Assert.Equal(version, stored.Version);
    }

    [Fact]
    public async Task An_absent_session_reads_as_null()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);

        Assert.Null(await subject.Store.GetAsync(StoreUnderTest.NewKey(), default));
    }

    [Fact]
    public async Task An_update_based_on_the_current_version_replaces_the_session_and_returns_a_new_version()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? first = await subject.Store.SetAsync(key, subject.Session("""{"n":1}""", TimeSpan.FromHours(1)), default);

        string? second = await subject.Store.SetAsync(key, subject.Session("""{"n":2}""", TimeSpan.FromHours(2), first), default);

        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal("""{"n":2}""", stored!.Data);
        Assert.Equal(subject.Clock.GetUtcNow().AddHours(2), stored.ExpiresAt);
        Assert.Equal(second, stored.Version);
    }

    [Fact]
    public async Task An_update_based_on_a_stale_version_is_refused_as_a_conflict_and_changes_nothing()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? stale = await subject.Store.SetAsync(key, subject.Session("""{"n":1}"""), default);
        string? current = await subject.Store.SetAsync(key, subject.Session("""{"n":2}""", version: stale), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() =>
            subject.Store.SetAsync(key, subject.Session("""{"n":3}""", version: stale), default));

        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal("""{"n":2}""", stored!.Data);
        Assert.Equal(current, stored.Version);
    }

    [Fact]
    public async Task Of_writers_racing_from_the_same_version_exactly_one_wins_and_the_others_get_a_conflict()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? version = await subject.Store.SetAsync(key, subject.Session("""{"n":0}"""), default);

        var writes = Enumerable.Range(1, 8)
            .Select(n => Task.Run(async () =>
            {
                try
                {
                    await subject.Store.SetAsync(key, subject.Session($$"""{"n":{{n}}}""", version: version), default);
                    return n;
                }
                catch (SessionConcurrencyException)
                {
                    return 0;
                }
            }))
            .ToList();
        int[] outcomes = await Task.WhenAll(writes);

        int winner = Assert.Single(outcomes, n => n != 0);
        Assert.Equal($$"""{"n":{{winner}}}""", (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_new_session_under_the_key_of_a_live_session_is_refused_as_a_conflict()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(key, subject.Session("""{"owner":"first"}""", TimeSpan.FromHours(1)), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() =>
            subject.Store.SetAsync(key, subject.Session("""{"owner":"second"}""", TimeSpan.FromHours(1)), default));

        Assert.Equal("""{"owner":"first"}""", (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_new_session_may_take_the_key_of_an_expired_leftover()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(key, subject.Session("""{"owner":"old"}""", TimeSpan.FromMinutes(5)), default);
        subject.Clock.Advance(TimeSpan.FromMinutes(6));

        string? version = await subject.Store.SetAsync(key, subject.Session("""{"owner":"new"}""", TimeSpan.FromMinutes(5)), default);

        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal("""{"owner":"new"}""", stored!.Data);
        Assert.Equal(version, stored.Version);
    }

    [Fact]
    public async Task Delete_removes_the_entity_and_deleting_an_absent_session_is_not_an_error()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string other = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(key, subject.Session(Json), default);
        await subject.Store.SetAsync(other, subject.Session(Json), default);

        await subject.Store.DeleteAsync(key, default);
        await subject.Store.DeleteAsync(key, default);
        await subject.Store.DeleteAsync(StoreUnderTest.NewKey(), default);

        Assert.Null(await subject.Store.GetAsync(key, default));
        Assert.Equal(other, Assert.Single(await subject.EntitiesAsync()).RowKey);
    }

    [Fact]
    public async Task An_update_of_a_session_deleted_since_it_was_read_is_a_conflict_and_does_not_bring_it_back()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? version = await subject.Store.SetAsync(key, subject.Session(Json), default);
        await subject.Store.DeleteAsync(key, default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => subject.Store.SetAsync(key, subject.Session(Json, version: version), default));

        Assert.Empty(await subject.EntitiesAsync());
    }

    [Fact]
    public async Task A_session_reads_as_absent_from_the_moment_it_expires_though_its_entity_waits_for_the_purge()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(key, subject.Session(Json, TimeSpan.FromMinutes(20)), default);

        subject.Clock.Advance(TimeSpan.FromMinutes(20) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await subject.Store.GetAsync(key, default));

        subject.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await subject.Store.GetAsync(key, default));
        Assert.Single(await subject.EntitiesAsync());
    }

    [Fact]
    public async Task A_session_without_an_expiry_is_stored_without_ExpiresAt_and_never_expires()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(key, subject.Session(Json), default);

        subject.Clock.Advance(TimeSpan.FromDays(3650));

        var stored = await subject.Store.GetAsync(key, default);
        Assert.NotNull(stored);
        Assert.Null(stored.ExpiresAt);
        Assert.False(Assert.Single(await subject.EntitiesAsync()).ContainsKey("ExpiresAt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz11111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public async Task A_key_that_is_not_a_64_character_hex_hash_is_refused_before_any_request(string key)
    {
        var recorder = new RequestRecorder();
        using var subject = await StoreUnderTest.CreateAsync(azurite, recorder.ClientOptions());
        recorder.Clear();

        await Assert.ThrowsAsync<ArgumentException>(() => subject.Store.GetAsync(key, default));
        await Assert.ThrowsAsync<ArgumentException>(() => subject.Store.SetAsync(key, subject.Session(Json), default));
        await Assert.ThrowsAsync<ArgumentException>(() => subject.Store.DeleteAsync(key, default));

        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task An_entity_that_is_not_a_session_reads_as_absent_and_is_logged_without_its_key()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        await subject.Table.AddEntityAsync(new TableEntity(key[..2], key) { ["Data"] = 42 });

        Assert.Null(await subject.Store.GetAsync(key, default));

        var warning = Assert.Single(subject.Logs.Records, record => record.Level == LogLevel.Warning);
        Assert.Contains(subject.Table.Name, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, warning.Message, StringComparison.Ordinal);
    }
}
