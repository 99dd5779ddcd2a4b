using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>The session cookie's name and attributes (configuration section <c>Sessions:Cookie</c>).</summary>
/// <remarks>
/// The rules browsers apply are checked at startup: a <c>__Host-</c> name needs <see cref="SecurePolicy"/>
/// <see cref="CookieSecurePolicy.Always"/>, <see cref="Path"/> <c>/</c> and no <see cref="Domain"/>; a <c>__Secure-</c> name,
/// <see cref="SameSiteMode.None"/> and <see cref="Partitioned"/> need <see cref="CookieSecurePolicy.Always"/>.
/// </remarks>
public sealed class SessionCookieOptions
{
    /// <summary>
    /// The cookie name (default <c>session</c>, as in hono-sessions). Start it with <c>__Host-</c> or <c>__Secure-</c> for
    /// a prefixed cookie (hono-sessions' <c>prefix: 'host'</c> is <c>__Host-session</c> here).
    /// </summary>
    public string Name { get; set; } = "session";

    /// <summary>The cookie path (default <c>/</c>).</summary>
    public string Path { get; set; } = "/";

    /// <summary>The cookie domain, or <see langword="null"/> (the default) for the request's host only.</summary>
    public string? Domain { get; set; }

    /// <summary>The SameSite attribute (default <see cref="SameSiteMode.Lax"/>); <see cref="SameSiteMode.Unspecified"/> omits it.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>Whether scripts are kept from reading the cookie (default <see langword="true"/>).</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>
    /// When the cookie is marked Secure: <see cref="CookieSecurePolicy.SameAsRequest"/> (the default) for HTTPS requests,
    /// <see cref="CookieSecurePolicy.Always"/>, or <see cref="CookieSecurePolicy.None"/>. Behind a proxy or on Lambda and
    /// Functions the request scheme comes from the forwarded headers the host adapter applies.
    /// </summary>
    public CookieSecurePolicy SecurePolicy { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>Whether the cookie is Partitioned (CHIPS), for sessions inside third-party iframes. Needs Secure.</summary>
    public bool Partitioned { get; set; }

    /// <summary>
    /// How long the browser keeps the cookie (<c>Max-Age</c>), or <see langword="null"/> (the default) for a cookie that
    /// ends with the browser session. The server-side expiry (<see cref="SessionsOptions.ExpireAfter"/>) applies either way.
    /// </summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// Whether the cookie is essential to the app (default <see langword="false"/>, as ASP.NET Core's session cookie). With
    /// the cookie policy requiring consent (<c>CookiePolicyOptions.CheckConsentNeeded</c>) and no consent given, a
    /// non-essential session cookie is not sent and the session behaves as empty; set this for sessions the app cannot
    /// work without (a login), as the GDPR allows for strictly necessary cookies.
    /// </summary>
    public bool IsEssential { get; set; }
}
