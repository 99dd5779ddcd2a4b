namespace SessionsServerless;

/// <summary>
/// Keeps sessions on the server. The session cookie then carries only a session id, and the store holds the data.
/// </summary>
/// <remarks>
/// <para>
/// A store never sees a session id. The middleware passes a <c>key</c>: the lowercase hexadecimal SHA-256 hash of the id
/// (64 characters), so a leaked table or backup gives nobody a way into a session.
/// </para>
/// <para>
/// Optimistic concurrency is optional. A store that supports it returns a non-null <see cref="StoredSession.Version"/>
/// from <see cref="GetAsync"/> and checks <see cref="StoredSession.Version"/> in <see cref="SetAsync"/>; the middleware
/// then replays the request's changes on fresh data when another request won the race. A store that does not support it
/// returns <see langword="null"/> versions and overwrites (last writer wins).
/// </para>
/// <para>Implementations must be thread-safe; one instance serves every request.</para>
/// </remarks>
public interface ISessionStore
{
    /// <summary>Reads the session stored under <paramref name="key"/>.</summary>
    /// <param name="key">The hash of the session id (64 lowercase hexadecimal characters).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The stored session, or <see langword="null"/> when there is none or when its <see cref="StoredSession.ExpiresAt"/>
    /// has passed (a store whose expiry runs late, such as a DynamoDB TTL, must still treat such an entry as absent).
    /// </returns>
    Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the session stored under <paramref name="key"/>.</summary>
    /// <param name="key">The hash of the session id (64 lowercase hexadecimal characters).</param>
    /// <param name="session">
    /// The data to store. Its <see cref="StoredSession.Version"/> is the version this write is based on: <see langword="null"/>
    /// for a new session (a concurrency-aware store creates the entry only if it does not exist), otherwise the version
    /// <see cref="GetAsync"/> returned (a concurrency-aware store writes only if the stored version still matches).
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new version of the entry, or <see langword="null"/> when the store does not track versions.</returns>
    /// <exception cref="SessionConcurrencyException">Another request changed or removed the entry since it was read.</exception>
    /// <exception cref="SessionStoreException">The store refused the write or could not be reached.</exception>
    Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken);

    /// <summary>Removes the session stored under <paramref name="key"/>. Removing an absent session is not an error.</summary>
    /// <param name="key">The hash of the session id (64 lowercase hexadecimal characters).</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the session stored under <paramref name="key"/> only while its version is still <paramref name="version"/>:
    /// the middleware deletes the old record this way when it rotates a session's id, so a change another request made
    /// meanwhile is not destroyed unseen. Removing an absent session, or one whose version moved on, is not an error
    /// (nothing is removed in the latter case; the record ends with its expiry).
    /// </summary>
    /// <remarks>
    /// The default implementation ignores the version and calls <see cref="DeleteAsync(string, CancellationToken)"/>, so
    /// a store written before this method existed keeps working; a concurrency-aware store should override it.
    /// </remarks>
    /// <param name="key">The hash of the session id (64 lowercase hexadecimal characters).</param>
    /// <param name="version">The version <see cref="GetAsync"/> returned, or <see langword="null"/> to remove whatever is stored.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    Task DeleteAsync(string key, string? version, CancellationToken cancellationToken) => DeleteAsync(key, cancellationToken);
}
