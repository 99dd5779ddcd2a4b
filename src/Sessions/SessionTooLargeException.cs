namespace SessionsServerless;

/// <summary>
/// The session no longer fits in one cookie. Nothing is dropped: the request fails and the browser keeps its previous
/// cookie. Store less in the session, or move it to a server store (<c>Sessions:Store</c> = <c>memory</c>,
/// <c>dynamodb</c> or <c>table</c>), where the cookie carries only the id.
/// </summary>
public sealed class SessionTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionTooLargeException()
        : base("The session does not fit in a cookie.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public SessionTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public SessionTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a cookie of <paramref name="cookieSize"/> bytes.</summary>
    /// <param name="cookieSize">The size of the sealed cookie (name and value), in bytes.</param>
    /// <param name="limit">The most a browser keeps.</param>
    public SessionTooLargeException(int cookieSize, int limit)
        : base($"The session cookie would be {cookieSize} bytes, over the {limit} bytes browsers keep, so the session was not saved. " +
               "Store less in the session, or use a server store (Sessions:Store = memory, dynamodb or table), where the cookie holds only the session id.")
    {
        CookieSize = cookieSize;
        Limit = limit;
    }

    /// <summary>The size the cookie would have had, in bytes.</summary>
    public int CookieSize { get; }

    /// <summary>The most a browser keeps, in bytes.</summary>
    public int Limit { get; }
}
