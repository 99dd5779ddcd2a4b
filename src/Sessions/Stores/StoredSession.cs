namespace SessionsServerless;

/// <summary>One session as a <see cref="ISessionStore"/> keeps it.</summary>
public sealed class StoredSession
{
    /// <summary>
    /// The session as JSON in the hono-sessions shape (<c>{"_data":{…},"_expire":…,"_delete":false,"_accessed":…}</c>).
    /// Stores keep it as an opaque string; it never contains the session id.
    /// </summary>
    public required string Data { get; init; }

    /// <summary>
    /// When the session stops being valid (idle expiry or absolute lifetime, whichever comes first), or
    /// <see langword="null"/> when it does not expire. Stores use it for TTL attributes, reads and purges.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The store's concurrency token (a version number, an ETag), or <see langword="null"/> for a session that is not
    /// stored yet or a store that does not track versions.
    /// </summary>
    public string? Version { get; init; }
}
