namespace SessionsServerless;

/// <summary>Carries the request's session in <c>HttpContext.Features</c>.</summary>
internal sealed class SessionFeature(Session session)
{
    public Session Session { get; } = session;
}
