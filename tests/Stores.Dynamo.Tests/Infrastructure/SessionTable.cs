using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>Reads a session table directly, as an operator (or someone holding a leaked backup) would.</summary>
public static class SessionTable
{
    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(IAmazonDynamoDB client, string tableName)
    {
        var response = await client.ScanAsync(new ScanRequest { TableName = tableName, ConsistentRead = true });
        return response.Items ?? [];
    }

    public static async Task<Dictionary<string, AttributeValue>?> GetAsync(IAmazonDynamoDB client, string tableName, string key)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = new() { ["id"] = new AttributeValue { S = key } },
            ConsistentRead = true,
        });
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>The key the core derives from a session id: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string KeyOf(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    /// <summary>A well-formed store key that no session uses.</summary>
    public static string RandomKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
