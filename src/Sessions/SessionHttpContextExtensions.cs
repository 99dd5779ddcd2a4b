using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>Gets the session of a request.</summary>
public static class SessionHttpContextExtensions
{
    /// <summary>The request's session, loaded by <c>app.UseSessions()</c>.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The session.</returns>
    /// <exception cref="InvalidOperationException">The session middleware did not run for this request.</exception>
    public static Session GetSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<SessionFeature>()?.Session
            ?? throw new InvalidOperationException(
                "This request has no session. Add app.UseSessions() before the endpoints that use sessions (and builder.Services.AddSessions(...)).");
    }
}
