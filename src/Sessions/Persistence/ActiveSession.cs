namespace SessionsServerless;

/// <summary>The request's session together with what the request came with.</summary>
internal sealed class ActiveSession
{
    public ActiveSession(Session session, bool cameWithCookie, SessionLoadResult loaded)
    {
        Session = session;
        CameWithCookie = cameWithCookie;
        Id = loaded.Id;
        Version = loaded.Version;
        SealedWithOlderKey = loaded.SealedWithOlderKey;
        PersistedExpiresAt = session.Data.ExpiresAt;
    }

    public Session Session { get; }

    /// <summary>Whether the request carried a session cookie, valid or not (so there is a cookie to clear).</summary>
    public bool CameWithCookie { get; }

    /// <summary>The session id, for a session a server store holds.</summary>
    public string? Id { get; set; }

    /// <summary>The store's concurrency token for the record read.</summary>
    public string? Version { get; set; }

    /// <summary>Whether the cookie must be re-sealed with the current key.</summary>
    public bool SealedWithOlderKey { get; }

    /// <summary>The idle expiry as saved before this request, to decide whether a renewal is due.</summary>
    public DateTimeOffset? PersistedExpiresAt { get; }

    /// <summary>Whether a server store holds a record for this session.</summary>
    public bool HasStoredRecord => Id is not null;
}
