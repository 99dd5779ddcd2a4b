namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>Keeps cookies across invocations the way a browser would, from v2 <c>cookies</c> or v1/ALB <c>Set-Cookie</c> headers.</summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    /// <summary>The cookies as <c>name=value</c> pairs, for an event's <c>cookies</c> or <c>Cookie</c> header.</summary>
    public IReadOnlyList<string> Pairs => _cookies.Select(pair => pair.Key + "=" + pair.Value).ToList();

    public string? this[string name] => _cookies.GetValueOrDefault(name);

    /// <summary>Takes the cookies a response sets.</summary>
    public void Apply(InvocationResult result)
    {
        var setCookies = result.Cookies.Concat(result.MultiValueHeader("Set-Cookie"));
        if (result.Header("Set-Cookie") is { } single)
        {
            setCookies = setCookies.Append(single);
        }

        foreach (string header in setCookies)
        {
            string pair = header.Split(';', 2)[0];
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = pair[..equals].Trim();
            string value = pair[(equals + 1)..].Trim();
            if (value.Length == 0 || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase) || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }
}
