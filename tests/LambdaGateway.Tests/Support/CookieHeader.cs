namespace SessionsServerless.LambdaGateway.Tests.Support;

/// <summary>Keeps the session cookie across requests, as a browser would for one site.</summary>
internal sealed class CookieHeader
{
    private string? _session;

    public string? Session => _session;

    /// <summary>Sends the cookie (if any) with <paramref name="request"/>.</summary>
    public HttpRequestMessage Attach(HttpRequestMessage request)
    {
        if (_session is not null)
        {
            request.Headers.Add("Cookie", "session=" + _session);
        }

        return request;
    }

    /// <summary>Takes the session cookie a response sets, or forgets it when the response expires it.</summary>
    public void Apply(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (string header in values.Where(v => v.StartsWith("session=", StringComparison.Ordinal)))
        {
            string value = header["session=".Length..].Split(';')[0];
            _session = value.Length == 0 || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase) ? null : value;
        }
    }
}
