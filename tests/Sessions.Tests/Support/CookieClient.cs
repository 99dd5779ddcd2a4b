using System.Net;

namespace SessionsServerless.Tests.Support;

/// <summary>
/// An HTTP client that keeps cookies the way a browser does for one host, and shows the raw Set-Cookie headers of the
/// last response, so tests can check exactly what the server sent.
/// </summary>
internal sealed class CookieClient : IDisposable
{
    private readonly HttpClient _http;

    public CookieClient(Uri baseAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    /// <summary>The cookies the client holds, by name.</summary>
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The Set-Cookie headers of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public string? SessionCookie => Cookies.GetValueOrDefault("session");

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string>? form = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form ?? new Dictionary<string, string>()) });

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(pair => pair.Key + "=" + pair.Value)));
        }

        var response = await _http.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        foreach (string header in LastSetCookies)
        {
            Apply(header);
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    private void Apply(string header)
    {
        string pair = header.Split(';', 2)[0];
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        string name = pair[..equals].Trim();
        string value = pair[(equals + 1)..].Trim();
        bool expired = header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase) || value.Length == 0;
        if (expired)
        {
            Cookies.Remove(name);
        }
        else
        {
            Cookies[name] = value;
        }
    }
}
