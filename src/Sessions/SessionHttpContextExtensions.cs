using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>Gets the session of a request.</summary>
public static class SessionHttpContextExtensions
{
    private const string NotConfigured =
        "This request has no session. Add app.UseSessions() before the endpoints that use sessions (and builder.Services.AddSessions(...)).";

    /// <summary>
    /// The request's session, opened now if this is the first time the request asks for it. With a server store that
    /// first call reads the store synchronously; in async code prefer <see cref="LoadSessionAsync"/> (a <see cref="Session"/>
    /// endpoint parameter does that).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>The session.</returns>
    /// <exception cref="InvalidOperationException">The session middleware did not run for this request.</exception>
    /// <exception cref="SessionStoreException">The session store could not be read; the request is answered with 503.</exception>
    public static Session GetSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.Features.Get<SessionRequest>() ?? throw new InvalidOperationException(NotConfigured)).Get();
    }

    /// <summary>The request's session, opened now (reading a server store asynchronously) if it was not yet.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The session.</returns>
    /// <exception cref="InvalidOperationException">The session middleware did not run for this request.</exception>
    /// <exception cref="SessionStoreException">The session store could not be read; the request is answered with 503.</exception>
    public static ValueTask<Session> LoadSessionAsync(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.Features.Get<SessionRequest>() ?? throw new InvalidOperationException(NotConfigured)).GetAsync();
    }
}
