using System.Net;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>
/// A browser's view of the demo: it keeps the <c>session</c> cookie the servers set and sends it to whichever server it
/// talks to, as a browser does for one site served by several instances.
/// </summary>
public sealed class SessionBrowser : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    /// <summary>The session cookie's value, or <see langword="null"/> when the browser has none.</summary>
    public string? Cookie { get; set; }

    public async Task<HttpResponseMessage> SendAsync(DemoServer server, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseAddress, path)) { Content = content };
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", "session=" + Cookie);
        }

        var response = await _http.SendAsync(request);
        if (SessionCookieSetBy(response) is { } setCookie)
        {
            Cookie = setCookie.Length == 0 ? null : setCookie;
        }

        return response;
    }

    /// <summary>GETs <paramref name="path"/>, expects 200 and returns the body.</summary>
    public async Task<string> GetStringAsync(DemoServer server, string path)
    {
        using var response = await SendAsync(server, HttpMethod.Get, path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Visits /counter and returns the count the page shows.</summary>
    public async Task<int> CountAsync(DemoServer server)
    {
        string body = await GetStringAsync(server, "/counter");
        const string Prefix = "You have visited this page ";
        Assert.StartsWith(Prefix, body, StringComparison.Ordinal);
        return int.Parse(body[Prefix.Length..body.IndexOf(" times", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the counter through /read (no write unless a renewal is due).</summary>
    public async Task<int> ReadCounterAsync(DemoServer server)
    {
        string body = await GetStringAsync(server, "/read");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("counter").GetInt32();
    }

    public Task<HttpResponseMessage> LoginAsync(DemoServer server, string email, string password) =>
        SendAsync(server, HttpMethod.Post, "/login", new FormUrlEncodedContent([new("email", email), new("password", password)]));

    public Task<HttpResponseMessage> LogoutAsync(DemoServer server) =>
        SendAsync(server, HttpMethod.Post, "/logout", new FormUrlEncodedContent([]));

    /// <summary>The value the response sets the session cookie to ("" when it clears it), or <see langword="null"/>.</summary>
    public static string? SessionCookieSetBy(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }

        foreach (string header in values)
        {
            if (header.StartsWith("session=", StringComparison.Ordinal))
            {
                string value = header["session=".Length..].Split(';')[0];
                return header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) ? string.Empty : value;
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();
}
