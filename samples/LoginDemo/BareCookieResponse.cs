namespace LoginDemo;

/// <summary>
/// What <c>GET /bare-cookie</c> answers: a baseline for the benchmarks (bench/hosts) that never touches the session. It
/// receives the same session cookie as <c>/counter</c> and answers a body of the same size with a precomputed Set-Cookie
/// header as long as the one <c>/counter</c> sends, so the difference in CPU between the two is what the session costs.
/// </summary>
/// <remarks>
/// The cookie is named <c>bare</c>, never <c>session</c>: a browser that visits the route keeps its session. The value is
/// filler of the length of a sealed counter session (the iron token of the demo's counter, 420 characters).
/// </remarks>
public static class BareCookieResponse
{
    /// <summary>The body, as long as <c>/counter</c>'s for a single-digit count.</summary>
    public const string Body = "You have visited this page 0 times";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "bare";

    /// <summary>
    /// The length of the <c>session</c> cookie's value (the iron token) that <c>/counter</c> sends for a single-digit
    /// count on the cookie store; bench/hosts/run.mjs checks that the two Set-Cookie headers are as long.
    /// </summary>
    public const int SealedCounterLength = 420;

    /// <summary>The Set-Cookie header value: as long as <c>/counter</c>'s (the two names differ by three characters).</summary>
    public static readonly string SetCookie =
        CookieName + "=" + new string('x', SealedCounterLength + "session".Length - CookieName.Length)
        + "; path=/; samesite=lax; httponly";
}
