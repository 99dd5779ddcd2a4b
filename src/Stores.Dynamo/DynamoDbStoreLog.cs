using Microsoft.Extensions.Logging;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>The DynamoDB store's log messages. None carries a session id or key.</summary>
internal static partial class DynamoDbStoreLog
{
    [LoggerMessage(1, LogLevel.Warning, "An item in the DynamoDB table '{TableName}' is not a session this store wrote (it lacks a String 'data' or a Number 'version' or 'expiresAt'); it was treated as absent.")]
    public static partial void ItemIgnored(ILogger logger, string tableName);
}
