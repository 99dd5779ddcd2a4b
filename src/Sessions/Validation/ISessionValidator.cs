namespace SessionsServerless;

/// <summary>
/// Decides, each time a request opens a session, whether that session is still valid: the place for revocation that
/// a sealed cookie cannot do by itself ("log out everywhere", "sessions of this user issued before T are void", "this
/// login was ended on another device"). Register one with <c>AddSessions(...).AddValidator&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// A validator runs once per request, and only for a request that uses its session (sessions open lazily). A session it
/// rejects is treated as expired: a server store deletes its record, the cookie is cleared and the request gets a fresh,
/// empty session. A validator may read any store of the app's own (a revocation list in Redis, DynamoDB, a database);
/// when that read fails, throw <see cref="SessionStoreException"/> to answer 503 rather than accept the session.
/// </remarks>
public interface ISessionValidator
{
    /// <summary>Whether the session may be used.</summary>
    /// <param name="context">The request and the session it carries.</param>
    /// <returns><see langword="true"/> to accept the session, <see langword="false"/> to end it.</returns>
    ValueTask<bool> ValidateAsync(SessionValidationContext context);
}
