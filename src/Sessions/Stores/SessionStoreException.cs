namespace SessionsServerless;

/// <summary>
/// A session store failed: it is unreachable, misconfigured, refused access, or refused the data.
/// </summary>
/// <remarks>
/// The message says what went wrong and how to fix it, and never contains a session id, a key or a cookie. The
/// middleware logs it and answers the request with 503 Service Unavailable instead of losing the change.
/// </remarks>
public class SessionStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreException()
    {
    }

    /// <summary>Creates the exception with a message that says what failed and how to fix it.</summary>
    /// <param name="message">What failed and how to fix it; no session id, key or cookie.</param>
    public SessionStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store client's exception.</summary>
    /// <param name="message">What failed and how to fix it; no session id, key or cookie.</param>
    /// <param name="innerException">The exception the store client threw.</param>
    public SessionStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
