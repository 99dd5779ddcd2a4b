namespace SessionsServerless;

/// <summary>
/// The session is larger than its store holds: a cookie (4096 bytes), or a server store's item or value limit. Nothing is
/// dropped or truncated: the check runs before anything is sent, the stored session (or the browser's cookie) stays as it
/// was, and the request fails with 500 Internal Server Error, without Retry-After (sending it again cannot succeed).
/// Store less in the session; with the cookie store, move to a server store, where the cookie carries only the id.
/// </summary>
public sealed class SessionTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionTooLargeException()
        : base("The session is larger than its store holds.")
    {
        Store = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public SessionTooLargeException(string message)
        : base(message)
    {
        Store = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public SessionTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Store = string.Empty;
    }

    /// <summary>Creates the exception for a cookie of <paramref name="cookieSize"/> bytes (the cookie store).</summary>
    /// <param name="cookieSize">The size of the sealed cookie (name and value), in bytes.</param>
    /// <param name="limit">The most a browser keeps.</param>
    public SessionTooLargeException(int cookieSize, int limit)
        : this(cookieSize, limit, SessionStoreNames.Cookie)
    {
    }

    /// <summary>Creates the exception for a session of <paramref name="size"/> bytes that the store <paramref name="store"/> cannot hold.</summary>
    /// <param name="size">
    /// The session's size in bytes, as the store counts it: the sealed cookie for the cookie store, the item or value
    /// (the session JSON and what the store adds to it) for a server store.
    /// </param>
    /// <param name="limit">The most the store holds, in the same unit.</param>
    /// <param name="store">The store's name (<c>cookie</c>, <c>memory</c>, <c>dynamodb</c>, <c>table</c>, <c>redis</c>, ...).</param>
    /// <param name="innerException">The store client's exception, when the store itself refused the data.</param>
    public SessionTooLargeException(int size, int limit, string store, Exception? innerException = null)
        : base(Describe(size, limit, store), innerException)
    {
        ArgumentNullException.ThrowIfNull(store);
        Size = size;
        Limit = limit;
        Store = store;
    }

    /// <summary>The size the session would have had in its store, in bytes (0 when not known).</summary>
    public int Size { get; }

    /// <summary>The size the cookie would have had, in bytes: <see cref="Size"/>, under the name it had when only cookies were checked.</summary>
    public int CookieSize => Size;

    /// <summary>The most the store holds, in bytes (0 when not known).</summary>
    public int Limit { get; }

    /// <summary>The name of the store that could not hold the session, or empty when not known.</summary>
    public string Store { get; }

    private static string Describe(int size, int limit, string store) =>
        store == SessionStoreNames.Cookie
            ? $"The session cookie would be {size} bytes, over the {limit} bytes browsers keep, so the session was not saved. " +
              "Store less in the session, or use a server store (Sessions:Store = memory, redis, dynamodb or table), where the cookie holds only the session id."
            : $"The session would be {size} bytes in the '{store}' session store, over the {limit} bytes it holds, so it was not saved " +
              "and the stored session is unchanged. Store less in the session (keep large data elsewhere and put its id in the session).";
}
