namespace SessionsServerless;

/// <summary>Options for <see cref="DistributedCacheStore"/> (configuration section <c>Sessions:DistributedCache</c>).</summary>
public sealed class DistributedCacheStoreOptions
{
    /// <summary>The key prefix used when none is configured: <c>sessions:</c>.</summary>
    public const string DefaultKeyPrefix = "sessions:";

    /// <summary>The largest session kept when <see cref="MaxSessionSize"/> is not set: 1 MiB.</summary>
    public const int DefaultMaxSessionSize = 1024 * 1024;

    /// <summary>What every cache key starts with (default <c>sessions:</c>); the rest is the hash of the session id.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long the cache keeps a session that has no expiry of its own (default 14 days): every entry gets an absolute
    /// expiration, so the cache never fills with abandoned sessions.
    /// </summary>
    public TimeSpan TimeToLiveWithoutExpiry { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The largest session kept, in bytes of UTF-8 session JSON (default 1 MiB). A larger one is refused with
    /// <see cref="SessionTooLargeException"/> before the cache is called.
    /// </summary>
    public int MaxSessionSize { get; set; } = DefaultMaxSessionSize;
}
