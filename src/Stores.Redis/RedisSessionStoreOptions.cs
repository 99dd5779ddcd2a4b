namespace SessionsServerless.Stores.Redis;

/// <summary>
/// Options for <see cref="RedisSessionStore"/>, bound from the <c>Sessions:Redis</c> configuration section (so
/// <c>Sessions__Redis__Configuration</c> works as an environment variable).
/// </summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>The key prefix used when none is configured: <c>sessions:</c>.</summary>
    public const string DefaultKeyPrefix = "sessions:";

    /// <summary>The largest session kept when <see cref="MaxSessionSize"/> is not set: 1 MiB.</summary>
    public const int DefaultMaxSessionSize = 1024 * 1024;

    /// <summary>
    /// A StackExchange.Redis configuration string, such as <c>localhost:6379</c> or
    /// <c>my-cache.redis.cache.windows.net:6380,password=...,ssl=true,abortConnect=false</c>. It may hold a password: keep
    /// it out of source control. Only used when the app registers no <c>IConnectionMultiplexer</c> of its own.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// What every key starts with (default <c>sessions:</c>), so sessions can share a Redis database with other data and
    /// several apps can share one Redis. The rest of the key is the hash of the session id the core passes.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long Redis keeps a session that has no expiry of its own (idle expiry and absolute lifetime both turned off):
    /// default 14 days. Every key gets a time to live, so Redis never fills with abandoned sessions.
    /// </summary>
    public TimeSpan TimeToLiveWithoutExpiry { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The largest session kept, in bytes of UTF-8 session JSON (default 1 MiB; Redis itself takes values up to 512 MB, but
    /// every request moves the whole session). A larger one is refused with <see cref="SessionTooLargeException"/>.
    /// </summary>
    public int MaxSessionSize { get; set; } = DefaultMaxSessionSize;
}
