using Microsoft.Extensions.Logging;

namespace SessionsServerless.Stores.Redis;

/// <summary>The store's log messages. None carries a key, a session id or a password.</summary>
internal static partial class RedisStoreLog
{
    [LoggerMessage(1, LogLevel.Warning, "A key in Redis under the session prefix '{KeyPrefix}' is not a session this store wrote (no 'd' or 'v' field, or an 'e' that is not a number); it was treated as absent.")]
    public static partial void EntryIgnored(ILogger logger, string keyPrefix);
}
