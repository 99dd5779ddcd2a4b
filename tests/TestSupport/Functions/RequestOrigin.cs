using System.Net;

namespace SessionsServerless.TestSupport;

/// <summary>Where a public request comes from.</summary>
/// <param name="ThroughAppServiceFrontEnd">
/// In Azure every request passes the App Service front end, which terminates TLS and adds X-Forwarded-For (the client's
/// address and port, appended), X-Forwarded-Proto, X-ARR-SSL (on HTTPS) and X-Original-URL. Locally, <c>func start</c>
/// receives requests directly and adds none of them.
/// </param>
/// <param name="ClientAddress">The client's address as the front end sees it.</param>
public sealed record RequestOrigin(bool ThroughAppServiceFrontEnd, IPAddress ClientAddress)
{
    public static RequestOrigin Azure { get; } = new(true, IPAddress.Parse("203.0.113.24"));

    public static RequestOrigin LocalFuncStart { get; } = new(false, IPAddress.Loopback);
}
