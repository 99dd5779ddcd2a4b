namespace SessionsServerless;

/// <summary>
/// A session's content in the hono-sessions shape: <c>_data</c> (values with their flash flags), <c>_expire</c>,
/// <c>_delete</c>, <c>_accessed</c>, and <c>_created</c> (this library's addition for the absolute lifetime cap).
/// </summary>
internal sealed class SessionData
{
    public Dictionary<string, SessionEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>When the session expires from inactivity (<c>_expire</c>).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Whether the session was marked for deletion (<c>_delete</c>).</summary>
    public bool IsDeleted { get; set; }

    /// <summary>When the session was last written by a request (<c>_accessed</c>).</summary>
    public DateTimeOffset? LastAccessed { get; set; }

    /// <summary>When the session was created (<c>_created</c>), kept only when an absolute lifetime is configured.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
