using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>What an <see cref="ISessionValidator"/> decides on: the request and the session its cookie opened.</summary>
public sealed class SessionValidationContext
{
    internal SessionValidationContext(HttpContext httpContext, Session session)
    {
        HttpContext = httpContext;
        Session = session;
    }

    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// The session as it was saved. Read values with <see cref="Session.TryGet{T}"/>; reading a flash value here consumes
    /// it, as anywhere else.
    /// </summary>
    public Session Session { get; }

    /// <summary>Cancelled when the request is aborted.</summary>
    public CancellationToken CancellationToken => HttpContext.RequestAborted;
}
