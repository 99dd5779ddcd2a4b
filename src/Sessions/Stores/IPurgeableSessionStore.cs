namespace SessionsServerless;

/// <summary>A <see cref="ISessionStore"/> that can remove expired sessions in bulk, for stores without automatic expiry.</summary>
public interface IPurgeableSessionStore : ISessionStore
{
    /// <summary>Deletes every session whose <see cref="StoredSession.ExpiresAt"/> has passed.</summary>
    /// <param name="cancellationToken">Stops the purge; sessions already deleted stay deleted.</param>
    /// <returns>How many sessions were deleted.</returns>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}
