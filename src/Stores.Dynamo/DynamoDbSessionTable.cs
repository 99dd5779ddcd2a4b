using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>
/// Creates the session table for local development and tests (dynalite, DynamoDB Local, a scratch account). Production
/// tables come from the app's template.yaml, which also turns on Time to Live.
/// </summary>
public static class DynamoDbSessionTable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Creates the table the store expects, unless it exists: partition key <c>id</c> (String), no sort key, on-demand
    /// capacity. Then waits until the table is active. Time to Live is not turned on here (local servers such as dynalite
    /// have no Time to Live; the store ignores expired items either way); template.yaml turns it on for <c>expiresAt</c>.
    /// </summary>
    /// <param name="client">The client for the server that gets the table.</param>
    /// <param name="tableName">The table name (default <c>sessions</c>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns><see langword="true"/> when the table was created, <see langword="false"/> when it already existed.</returns>
    public static async Task<bool> CreateAsync(
        IAmazonDynamoDB client,
        string tableName = DynamoDbSessionStoreOptions.DefaultTableName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        bool created;
        try
        {
            await client.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = tableName,
                    AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                },
                cancellationToken).ConfigureAwait(false);
            created = true;
        }
        catch (ResourceInUseException)
        {
            created = false;
        }

        while (true)
        {
            var description = await client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
            if (description.Table.TableStatus == TableStatus.ACTIVE)
            {
                return created;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
