using System.Net;

namespace SessionsServerless.AzureFunctions.Worker.Tests.Support;

/// <summary>An HTTP client that keeps cookies as a browser does and does not follow redirects.</summary>
internal static class Browser
{
    public static HttpClient Create(Uri baseAddress, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseAddress,
        };

    /// <summary>A client that sends the cookies it is given and keeps none (to send exactly one Cookie header).</summary>
    public static HttpClient CreateWithoutCookieJar(Uri baseAddress) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>The Set-Cookie headers of the response for the cookie <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response, string name = "session") =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith(name + "=", StringComparison.Ordinal)).ToList()
            : [];
}
