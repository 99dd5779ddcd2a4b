using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>The store's contract against dynalite: items, versions, expiry, conflicts and errors.</summary>
public sealed class DynamoDbSessionStoreTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero));
    private readonly FakeLogger<DynamoDbSessionStore> _logger = new();
    private AmazonDynamoDBClient _client = null!;
    private string _table = null!;
    private DynamoDbSessionStore _store = null!;

    public async Task InitializeAsync()
    {
        _client = dynalite.CreateClient();
        _table = await dynalite.CreateTableAsync();
        _store = CreateStore(_table);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Get_returns_null_for_a_key_never_written()
    {
        Assert.Null(await _store.GetAsync(SessionTable.RandomKey(), default));
    }

    [Fact]
    public async Task A_new_session_reads_back_with_its_data_expiry_and_version()
    {
        string key = SessionTable.RandomKey();
        var expiresAt = _time.GetUtcNow().AddMinutes(30);

        string? version = await _store.SetAsync(key, Session("{\"a\":1}", expiresAt), default);
        var stored = await _store.GetAsync(key, default);

        Assert.Equal("1", version);
        Assert.NotNull(stored);
        Assert.Equal("{\"a\":1}", stored.Data);
        Assert.Equal("1", stored.Version);
        // Epoch seconds, rounded up so the item never reads as expired before the session is.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds() + 1), stored.ExpiresAt);
    }

    [Fact]
    public async Task The_item_has_exactly_the_documented_attributes()
    {
        string key = SessionTable.RandomKey();
        var expiresAt = _time.GetUtcNow().AddMinutes(30);
        await _store.SetAsync(key, Session("{\"b\":2}", expiresAt), default);

        var item = await SessionTable.GetAsync(_client, _table, key);

        Assert.NotNull(item);
        Assert.Equal(["data", "expiresAt", "id", "version", "writeToken"], item.Keys.Order(StringComparer.Ordinal));
        Assert.Matches("^[0-9a-f]{32}$", item["writeToken"].S);
        Assert.Equal(key, item["id"].S);
        Assert.Equal("{\"b\":2}", item["data"].S);
        Assert.Equal((expiresAt.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), item["expiresAt"].N);
        Assert.Equal("1", item["version"].N);
    }

    [Fact]
    public async Task A_session_without_expiry_has_no_ttl_attribute_and_never_reads_as_expired()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, new StoredSession { Data = "{}", ExpiresAt = null }, default);

        _time.Advance(TimeSpan.FromDays(3650));

        var item = await SessionTable.GetAsync(_client, _table, key);
        Assert.NotNull(item);
        Assert.False(item.ContainsKey("expiresAt"));
        Assert.NotNull(await _store.GetAsync(key, default));
    }

    [Fact]
    public async Task An_update_based_on_the_version_read_applies_and_bumps_the_version()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"n\":1}"), default);
        var read = await _store.GetAsync(key, default);

        string? version = await _store.SetAsync(key, Session("{\"n\":2}", version: read!.Version), default);

        Assert.Equal("2", version);
        var stored = await _store.GetAsync(key, default);
        Assert.Equal("{\"n\":2}", stored!.Data);
        Assert.Equal("2", stored.Version);
    }

    [Fact]
    public async Task An_update_based_on_a_stale_version_is_refused_and_the_winner_stays()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"n\":1}"), default);
        await _store.SetAsync(key, Session("{\"n\":\"winner\"}", version: "1"), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => _store.SetAsync(key, Session("{\"n\":\"loser\"}", version: "1"), default));

        var stored = await _store.GetAsync(key, default);
        Assert.Equal("{\"n\":\"winner\"}", stored!.Data);
        Assert.Equal("2", stored.Version);
    }

    [Fact]
    public async Task Of_many_concurrent_writers_based_on_one_version_exactly_one_wins()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"writer\":-1}"), default);

        var attempts = Enumerable.Range(0, 8).Select(async writer =>
        {
            try
            {
                await _store.SetAsync(key, Session($"{{\"writer\":{writer}}}", version: "1"), default);
                return writer;
            }
            catch (SessionConcurrencyException)
            {
                return -1;
            }
        });
        int[] outcomes = await Task.WhenAll(attempts);

        int winner = Assert.Single(outcomes, outcome => outcome >= 0);
        var stored = await _store.GetAsync(key, default);
        Assert.Equal($"{{\"writer\":{winner}}}", stored!.Data);
        Assert.Equal("2", stored.Version);
    }

    [Fact]
    public async Task Creating_a_session_whose_item_exists_is_refused_and_keeps_the_existing_one()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"first\":true}"), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => _store.SetAsync(key, Session("{\"second\":true}"), default));

        Assert.Equal("{\"first\":true}", (await _store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task Updating_a_deleted_session_is_refused_and_does_not_bring_it_back()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{}"), default);
        await _store.DeleteAsync(key, default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => _store.SetAsync(key, Session("{\"late\":1}", version: "1"), default));

        Assert.Null(await SessionTable.GetAsync(_client, _table, key));
    }

    [Fact]
    public async Task An_expired_item_reads_as_absent_although_the_table_still_holds_it()
    {
        string key = SessionTable.RandomKey();
        var expiresAt = _time.GetUtcNow().AddMinutes(10);
        await _store.SetAsync(key, Session("{}", expiresAt), default);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(250) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.GetAsync(key, default));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await _store.GetAsync(key, default));
        Assert.NotNull(await SessionTable.GetAsync(_client, _table, key));
    }

    [Fact]
    public async Task An_expired_session_is_not_updated()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"old\":1}", _time.GetUtcNow().AddMinutes(1)), default);
        _time.Advance(TimeSpan.FromMinutes(2));

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => _store.SetAsync(key, Session("{\"new\":1}", _time.GetUtcNow().AddMinutes(1), "1"), default));

        Assert.Equal("{\"old\":1}", (await SessionTable.GetAsync(_client, _table, key))!["data"].S);
    }

    [Fact]
    public async Task Delete_removes_the_item_and_deleting_an_absent_one_is_not_an_error()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{}"), default);

        await _store.DeleteAsync(key, default);
        await _store.DeleteAsync(key, default);

        Assert.Null(await SessionTable.GetAsync(_client, _table, key));
        Assert.Null(await _store.GetAsync(key, default));
    }

    [Fact]
    public async Task An_item_the_store_did_not_write_reads_as_absent_with_a_warning_that_names_no_key()
    {
        string key = SessionTable.RandomKey();
        await _client.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = new() { ["id"] = new AttributeValue { S = key }, ["data"] = new AttributeValue { N = "7" } },
        });

        Assert.Null(await _store.GetAsync(key, default));

        var warning = Assert.Single(_logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Contains(_table, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_over_the_item_size_limit_fails_clearly_and_the_saved_one_stays()
    {
        string key = SessionTable.RandomKey();
        await _store.SetAsync(key, Session("{\"small\":true}"), default);
        string huge = "{\"blob\":\"" + new string('x', 410 * 1024) + "\"}";

        var failure = await Assert.ThrowsAsync<SessionTooLargeException>(() => _store.SetAsync(key, Session(huge, version: "1"), default));

        Assert.Equal("dynamodb", failure.Store);
        Assert.Equal(400 * 1024, failure.Limit);
        Assert.True(failure.Size > 410 * 1024);
        Assert.Contains("'dynamodb' session store", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal("{\"small\":true}", (await _store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_missing_table_fails_with_a_message_that_names_it_and_how_to_create_it()
    {
        using var store = CreateStore("no-such-table");
        string key = SessionTable.RandomKey();

        var read = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(key, default));
        var write = await Assert.ThrowsAsync<SessionStoreException>(() => store.SetAsync(key, Session("{}"), default));

        foreach (var failure in new[] { read, write })
        {
            Assert.Contains("'no-such-table' was not found", failure.Message, StringComparison.Ordinal);
            Assert.Contains(dynalite.ServiceUrl, failure.Message, StringComparison.Ordinal);
            Assert.Contains("template.yaml", failure.Message, StringComparison.Ordinal);
            Assert.Contains("DynamoDbSessionTable.CreateAsync", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_table_with_another_key_fails_with_a_message_that_says_which_key_it_needs()
    {
        string other = "other-key-" + Guid.NewGuid().ToString("N");
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = other,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        while ((await _client.DescribeTableAsync(other)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(50);
        }

        using var store = CreateStore(other);

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(SessionTable.RandomKey(), default));

        Assert.Contains("partition key must be 'id' (String)", failure.Message, StringComparison.Ordinal);
        Assert.Contains(other, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_request_surfaces_as_cancellation_not_as_a_store_failure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.GetAsync(SessionTable.RandomKey(), cancelled.Token));
    }

    [Fact]
    public async Task A_version_the_store_did_not_issue_is_an_argument_error()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.SetAsync(SessionTable.RandomKey(), Session("{}", version: "W/\"etag\""), default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("sessions table")]
    public void An_invalid_table_name_is_refused_with_the_setting_to_fix(string tableName)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => CreateStore(tableName));

        Assert.Contains("Sessions:DynamoDb:TableName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_session_is_refused_before_any_request_is_sent()
    {
        var calls = new RequestCounter();
        using var counted = dynalite.CreateClient(calls);
        using var store = new DynamoDbSessionStore(counted, Options.Create(new DynamoDbSessionStoreOptions { TableName = _table }), _time, _logger);
        string huge = "{\"blob\":\"" + new string('x', 400 * 1024) + "\"}";

        await Assert.ThrowsAsync<SessionTooLargeException>(() => store.SetAsync(SessionTable.RandomKey(), Session(huge), default));

        Assert.Equal(0, calls.Total);
    }

    private DynamoDbSessionStore CreateStore(string tableName) =>
        new(_client, Options.Create(new DynamoDbSessionStoreOptions { TableName = tableName }), _time, _logger);

    private StoredSession Session(string data, DateTimeOffset? expiresAt = null, string? version = null) =>
        new() { Data = data, ExpiresAt = expiresAt ?? _time.GetUtcNow().AddHours(1), Version = version };
}
