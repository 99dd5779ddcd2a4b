namespace SessionsServerless;

/// <summary>
/// A store write lost a race: another request changed or removed the session after this request read it.
/// </summary>
/// <remarks>
/// Stores throw it from <see cref="ISessionStore.SetAsync"/>. The middleware then reads the session again and replays this
/// request's changes on the fresh data (a key this request set wins; keys it did not touch keep the other request's
/// values). If the session was deleted meanwhile it stays deleted and this request's changes are dropped. When the
/// conflict persists after the configured attempts, the request is answered with 409 Conflict.
/// </remarks>
public class SessionConcurrencyException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    public SessionConcurrencyException()
        : base("The session was changed by another request while this request was running.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened; no session id, key or cookie.</param>
    public SessionConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store client's exception.</summary>
    /// <param name="message">What happened; no session id, key or cookie.</param>
    /// <param name="innerException">The exception the store client threw.</param>
    public SessionConcurrencyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
