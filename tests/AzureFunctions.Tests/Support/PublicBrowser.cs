using System.Globalization;

namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>
/// A browser at the function app's public address: keeps cookies as a browser does for one site (a Secure cookie is sent
/// over HTTPS only; Max-Age=0 or a past Expires removes it), does not follow redirects, and reaches the app through a
/// <see cref="FunctionsHost"/>.
/// </summary>
internal sealed class PublicBrowser
{
    private readonly FunctionsHost _host;
    private readonly RequestOrigin _origin;
    private readonly Dictionary<string, (string Value, bool Secure)> _cookies = new(StringComparer.Ordinal);

    public PublicBrowser(FunctionsHost host, Uri publicAddress, RequestOrigin origin)
    {
        _host = host;
        _origin = origin;
        PublicAddress = publicAddress;
    }

    public Uri PublicAddress { get; }

    /// <summary>The Set-Cookie headers of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public string? Cookie(string name) => _cookies.TryGetValue(name, out var cookie) ? cookie.Value : null;

    /// <summary>Replaces the jar's cookie, as a user replaying an old cookie would.</summary>
    public void SetCookie(string name, string value) => _cookies[name] = (value, PublicAddress.Scheme == Uri.UriSchemeHttps);

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> form) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.RequestUri = new Uri(PublicAddress, request.RequestUri!.OriginalString);
        bool https = request.RequestUri.Scheme == Uri.UriSchemeHttps;
        var sendable = _cookies.Where(c => https || !c.Value.Secure).Select(c => c.Key + "=" + c.Value.Value).ToList();
        if (sendable.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", sendable));
        }

        request.Headers.UserAgent.ParseAdd("Mozilla/5.0");
        var response = await _host.ForwardAsync(request, _origin);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        foreach (string header in LastSetCookies)
        {
            Apply(header, https);
        }

        return response;
    }

    private void Apply(string header, bool https)
    {
        var parts = header.Split(';').Select(p => p.Trim()).ToList();
        int equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        string name = parts[0][..equals];
        string value = parts[0][(equals + 1)..];
        var attributes = parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0].ToLowerInvariant(), p => p.Length > 1 ? p[1] : string.Empty);
        bool secure = attributes.ContainsKey("secure");
        if (secure && !https)
        {
            return; // Browsers ignore Secure cookies set over plain HTTP.
        }

        bool expired = (attributes.TryGetValue("max-age", out var maxAge) && int.Parse(maxAge, CultureInfo.InvariantCulture) <= 0)
            || (attributes.TryGetValue("expires", out var expires) && DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow);
        if (expired)
        {
            _cookies.Remove(name);
        }
        else
        {
            _cookies[name] = (value, secure);
        }
    }
}
