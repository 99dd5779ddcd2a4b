namespace SessionsServerless;

/// <summary>What a session cookie led to.</summary>
internal readonly struct SessionLoadResult
{
    private SessionLoadResult(SessionData? data, string? id, string? version, bool sealedWithOlderKey, SessionRejection? rejection)
    {
        Data = data;
        Id = id;
        Version = version;
        SealedWithOlderKey = sealedWithOlderKey;
        Rejection = rejection;
    }

    /// <summary>The session, or <see langword="null"/> when the cookie was refused.</summary>
    public SessionData? Data { get; }

    /// <summary>The session id (server stores only).</summary>
    public string? Id { get; }

    /// <summary>The store's concurrency token (server stores only).</summary>
    public string? Version { get; }

    /// <summary>Whether the cookie was sealed with a previous key and should be re-sealed with the current one.</summary>
    public bool SealedWithOlderKey { get; }

    /// <summary>Why the cookie was refused, when it was.</summary>
    public SessionRejection? Rejection { get; }

    public static SessionLoadResult Loaded(SessionData data, string? id, string? version, bool sealedWithOlderKey) =>
        new(data, id, version, sealedWithOlderKey, null);

    public static SessionLoadResult Rejected(SessionRejection reason) => new(null, null, null, false, reason);
}
