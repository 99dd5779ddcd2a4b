using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// Writes whose reply is lost: the SDK sends the conditional PutItem again, the repeat fails its own condition, and the
/// store recognises the item as its own write instead of answering a conflict (409) and orphaning it. Rotation deletes
/// the old item only while its version is the one read.
/// </summary>
public sealed class RetriedWriteTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    [Fact]
    public async Task A_create_whose_reply_was_lost_and_that_the_SDK_retried_succeeds_with_its_version()
    {
        string table = await dynalite.CreateTableAsync();
        var lossy = new LostReplyHttpClientFactory("PutItem");
        using var client = Client(lossy);
        using var store = Store(client, table);
        string key = SessionTable.RandomKey();

        string? version = await store.SetAsync(key, new StoredSession { Data = "{\"a\":1}" }, default);

        Assert.Equal((1, 2), (lossy.Lost, lossy.Sent));
        Assert.Equal("1", version);
        var stored = await store.GetAsync(key, default);
        Assert.Equal(("{\"a\":1}", "1"), (stored!.Data, stored.Version));
    }

    [Fact]
    public async Task An_update_whose_reply_was_lost_and_that_the_SDK_retried_succeeds_and_the_next_update_builds_on_it()
    {
        string table = await dynalite.CreateTableAsync();
        using var plain = dynalite.CreateClient();
        using var setup = Store(plain, table);
        string key = SessionTable.RandomKey();
        string? first = await setup.SetAsync(key, new StoredSession { Data = "{}" }, default);
        var lossy = new LostReplyHttpClientFactory("PutItem");
        using var client = Client(lossy);
        using var store = Store(client, table);

        string? second = await store.SetAsync(key, new StoredSession { Data = "{\"b\":2}", Version = first }, default);

        Assert.Equal((1, 2), (lossy.Lost, lossy.Sent));
        Assert.Equal("2", second);
        Assert.Equal("3", await store.SetAsync(key, new StoredSession { Data = "{\"c\":3}", Version = second }, default));
    }

    [Fact]
    public async Task A_real_conflict_is_still_a_conflict()
    {
        string table = await dynalite.CreateTableAsync();
        using var client = dynalite.CreateClient();
        using var store = Store(client, table);
        string key = SessionTable.RandomKey();
        await store.SetAsync(key, new StoredSession { Data = "{}" }, default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(() => store.SetAsync(key, new StoredSession { Data = "{\"other\":1}" }, default));
    }

    [Fact]
    public async Task A_delete_with_a_version_removes_the_item_only_while_it_has_that_version()
    {
        string table = await dynalite.CreateTableAsync();
        using var client = dynalite.CreateClient();
        using var store = Store(client, table);
        string key = SessionTable.RandomKey();
        string? first = await store.SetAsync(key, new StoredSession { Data = "{}" }, default);
        string? second = await store.SetAsync(key, new StoredSession { Data = "{\"b\":2}", Version = first }, default);

        await store.DeleteAsync(key, first, default);
        Assert.NotNull(await store.GetAsync(key, default));

        await store.DeleteAsync(key, second, default);
        Assert.Null(await store.GetAsync(key, default));
    }

    private AmazonDynamoDBClient Client(LostReplyHttpClientFactory factory) =>
        new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = dynalite.ServiceUrl,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 2,
            HttpClientFactory = factory,
        });

    private static DynamoDbSessionStore Store(IAmazonDynamoDB client, string table) =>
        new(client, Options.Create(new DynamoDbSessionStoreOptions { TableName = table }), TimeProvider.System, NullLogger<DynamoDbSessionStore>.Instance);
}
