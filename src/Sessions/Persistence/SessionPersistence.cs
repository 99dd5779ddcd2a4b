namespace SessionsServerless;

/// <summary>Where a session lives: sealed in the cookie, or in a server store the cookie points to.</summary>
internal abstract class SessionPersistence
{
    /// <summary>
    /// Loads the session the cookie refers to. A bad cookie is a rejection, never an exception; a store that fails throws.
    /// </summary>
    public abstract ValueTask<SessionLoadResult> LoadAsync(ReadOnlyMemory<char> cookieValue, CancellationToken cancellationToken);

    /// <summary>Saves the session; <paramref name="stamp"/> sets expiry and access time on the data about to be written.</summary>
    public abstract ValueTask<SessionSaveResult> SaveAsync(ActiveSession active, SessionStamp stamp, CancellationToken cancellationToken);

    /// <summary>Removes what the server holds for the session, if anything.</summary>
    public abstract ValueTask DeleteAsync(ActiveSession active, CancellationToken cancellationToken);
}
