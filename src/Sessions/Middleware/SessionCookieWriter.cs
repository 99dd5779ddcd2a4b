using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using HeaderNames = Microsoft.Net.Http.Headers.HeaderNames;

namespace SessionsServerless;

/// <summary>Reads the session cookie and writes the one Set-Cookie header a response may carry for it.</summary>
internal sealed class SessionCookieWriter
{
    /// <summary>Browsers keep cookies up to this many bytes of name and value.</summary>
    public const int MaxCookieSize = 4096;

    private readonly SessionCookieOptions _cookie;
    private readonly string _namePrefix;
    private readonly string _attributes;
    private readonly string _clearingSuffix;

    public SessionCookieWriter(SessionCookieOptions cookie)
    {
        _cookie = cookie;
        _namePrefix = cookie.Name + "=";
        _attributes = BuildAttributes(cookie, cookie.MaxAge);
        _clearingSuffix = "; expires=Thu, 01 Jan 1970 00:00:00 GMT" + BuildAttributes(cookie, TimeSpan.Zero);
    }

    public string Name => _cookie.Name;

    /// <summary>Whether the cookie is persistent (has a Max-Age) and must be re-sent to extend it.</summary>
    public bool HasMaxAge => _cookie.MaxAge is not null;

    /// <summary>
    /// The <paramref name="index"/>-th cookie of the session's name the request carries (surrounding quotes removed), or
    /// empty when there are fewer. Read from the raw Cookie header without allocating: the value is a slice of the header.
    /// </summary>
    public ReadOnlyMemory<char> Read(HttpRequest request, int index = 0)
    {
        int skip = index;
        foreach (string? header in request.Headers.Cookie)
        {
            if (header is not null && FindCookie(header, _cookie.Name, ref skip) is { IsEmpty: false } value)
            {
                return value;
            }
        }

        return ReadOnlyMemory<char>.Empty;
    }

    /// <summary>The size in bytes of the cookie's name and a value of <paramref name="valueLength"/> ASCII characters.</summary>
    public int MeasureCookie(int valueLength) => _namePrefix.Length + valueLength;

    /// <summary>Writes the cookie with <paramref name="value"/>.</summary>
    public void Write(HttpContext context, ReadOnlySpan<char> value) =>
        Append(context, string.Concat(_namePrefix, value, _attributes, SecureSuffix(context.Request)));

    /// <summary>Writes a cookie whose value is ASCII bytes, building the Set-Cookie header as the only string.</summary>
    public void Write(HttpContext context, ReadOnlySpan<byte> asciiValue)
    {
        var parts = new HeaderParts(_namePrefix, asciiValue, _attributes, SecureSuffix(context.Request));
        Append(context, string.Create(parts.Length, parts, static (destination, parts) =>
        {
            parts.Prefix.CopyTo(destination);
            int position = parts.Prefix.Length;
            position += Encoding.ASCII.GetChars(parts.Value, destination[position..]);
            parts.Attributes.CopyTo(destination[position..]);
            parts.Secure.CopyTo(destination[(position + parts.Attributes.Length)..]);
        }));
    }

    public void Clear(HttpContext context) => Append(context, string.Concat(_namePrefix, _clearingSuffix, SecureSuffix(context.Request)));

    private static void Append(HttpContext context, string header) => context.Response.Headers.Append(HeaderNames.SetCookie, header);

    private static ReadOnlyMemory<char> FindCookie(string header, string name, ref int skip)
    {
        int position = 0;
        while (position < header.Length)
        {
            int end = header.IndexOf(';', position);
            if (end < 0)
            {
                end = header.Length;
            }

            var pair = header.AsMemory(position, end - position);
            var span = pair.Span;
            int leading = span.Length - span.TrimStart(' ').Length;
            span = span[leading..];
            if (span.Length > name.Length && span[name.Length] == '=' && span.StartsWith(name, StringComparison.Ordinal))
            {
                var value = pair[(leading + name.Length + 1)..];
                value = value[..value.Span.TrimEnd(' ').Length];
                if (value.Length >= 2 && value.Span[0] == '"' && value.Span[^1] == '"')
                {
                    value = value[1..^1];
                }

                if (skip-- == 0)
                {
                    return value;
                }
            }

            position = end + 1;
        }

        return ReadOnlyMemory<char>.Empty;
    }

    private string SecureSuffix(HttpRequest request) => _cookie.SecurePolicy switch
    {
        CookieSecurePolicy.Always => "; secure",
        CookieSecurePolicy.SameAsRequest when request.IsHttps => "; secure",
        _ => string.Empty,
    };

    private readonly ref struct HeaderParts(string prefix, ReadOnlySpan<byte> value, string attributes, string secure)
    {
        public string Prefix { get; } = prefix;

        public ReadOnlySpan<byte> Value { get; } = value;

        public string Attributes { get; } = attributes;

        public string Secure { get; } = secure;

        public int Length => Prefix.Length + Value.Length + Attributes.Length + Secure.Length;
    }

    private static string BuildAttributes(SessionCookieOptions cookie, TimeSpan? maxAge)
    {
        var attributes = new StringBuilder();
        if (maxAge is { } age)
        {
            attributes.Append("; max-age=").Append(((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(cookie.Domain))
        {
            attributes.Append("; domain=").Append(cookie.Domain);
        }

        attributes.Append("; path=").Append(cookie.Path);
        switch (cookie.SameSite)
        {
            case SameSiteMode.Strict:
                attributes.Append("; samesite=strict");
                break;
            case SameSiteMode.Lax:
                attributes.Append("; samesite=lax");
                break;
            case SameSiteMode.None:
                attributes.Append("; samesite=none");
                break;
        }

        if (cookie.HttpOnly)
        {
            attributes.Append("; httponly");
        }

        if (cookie.Partitioned)
        {
            attributes.Append("; partitioned");
        }

        return attributes.ToString();
    }
}
