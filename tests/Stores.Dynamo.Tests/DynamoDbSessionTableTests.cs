using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>The local-development helper that creates the session table.</summary>
public sealed class DynamoDbSessionTableTests(SlowTableDynaliteServer dynalite) : IClassFixture<SlowTableDynaliteServer>
{
    [Fact]
    public async Task CreateAsync_creates_the_table_the_store_expects_and_returns_once_it_is_active()
    {
        using var client = dynalite.CreateClient();
        string name = "created-" + Guid.NewGuid().ToString("N");

        Assert.True(await DynamoDbSessionTable.CreateAsync(client, name));

        var table = (await client.DescribeTableAsync(new DescribeTableRequest { TableName = name })).Table;
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        var key = Assert.Single(table.KeySchema);
        Assert.Equal(("id", KeyType.HASH), (key.AttributeName, key.KeyType));
        var attribute = Assert.Single(table.AttributeDefinitions);
        Assert.Equal(("id", ScalarAttributeType.S), (attribute.AttributeName, attribute.AttributeType));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary.BillingMode);

        using var store = new DynamoDbSessionStore(client, Options.Create(new DynamoDbSessionStoreOptions { TableName = name }), TimeProvider.System, NullLogger<DynamoDbSessionStore>.Instance);
        Assert.Equal("1", await store.SetAsync(SessionTable.RandomKey(), new StoredSession { Data = "{}" }, default));
    }

    [Fact]
    public async Task CreateAsync_on_an_existing_table_returns_false_and_keeps_its_items()
    {
        using var client = dynalite.CreateClient();
        string name = "existing-" + Guid.NewGuid().ToString("N");
        await DynamoDbSessionTable.CreateAsync(client, name);
        string key = SessionTable.RandomKey();
        await client.PutItemAsync(new PutItemRequest { TableName = name, Item = new() { ["id"] = new AttributeValue { S = key } } });

        Assert.False(await DynamoDbSessionTable.CreateAsync(client, name));

        Assert.NotNull(await SessionTable.GetAsync(client, name, key));
    }

    [Fact]
    public async Task CreateAsync_uses_the_default_table_name_sessions()
    {
        using var client = dynalite.CreateClient();

        await DynamoDbSessionTable.CreateAsync(client);

        var tables = await client.ListTablesAsync(new ListTablesRequest());
        Assert.Contains(DynamoDbSessionStoreOptions.DefaultTableName, tables.TableNames);
        Assert.Equal("sessions", DynamoDbSessionStoreOptions.DefaultTableName);
    }
}
