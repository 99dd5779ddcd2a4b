using Microsoft.Extensions.Logging;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>The store's log messages. None carries a key, a session id or a connection string.</summary>
internal static partial class AzureTableStoreLog
{
    [LoggerMessage(1, LogLevel.Warning, "An entity in the Azure table '{Table}' is not a session this store wrote (no Data string, or an ExpiresAt that is not a date); it was treated as absent.")]
    public static partial void EntityIgnored(ILogger logger, string table);

    [LoggerMessage(2, LogLevel.Information, "The Azure table '{Table}' was missing and has been created (Sessions:AzureTables:CreateTableIfNotExists).")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(3, LogLevel.Information, "Purged {Count} expired sessions from the Azure table '{Table}'.")]
    public static partial void Purged(ILogger logger, int count, string table);

    [LoggerMessage(4, LogLevel.Debug, "An expired session was renewed or removed while the purge ran; it was left alone.")]
    public static partial void PurgeSkippedChangedEntity(ILogger logger);
}
