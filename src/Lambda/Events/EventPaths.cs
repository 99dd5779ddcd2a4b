using System.Buffers;
using System.Globalization;
using System.Text;

namespace SessionsServerless.Lambda;

/// <summary>
/// Path rules of the event sources. REST APIs, Function URLs and load balancers send the path percent-encoded as the
/// client sent it; HTTP APIs send it already decoded. ASP.NET Core wants it decoded the way Kestrel decodes it.
/// </summary>
internal static class EventPaths
{
    private static readonly SearchValues<char> LiteralPathCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/");

    /// <summary>
    /// Decodes percent-escapes the way Kestrel does: valid UTF-8 sequences become characters, <c>%2F</c> stays encoded so a
    /// path segment cannot turn into two, and escapes that are not valid UTF-8 are kept as they are.
    /// </summary>
    public static string Decode(string encoded)
    {
        int percent = encoded.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
        {
            return encoded;
        }

        var decoded = new StringBuilder(encoded.Length);
        decoded.Append(encoded, 0, percent);
        Span<byte> small = stackalloc byte[64];
        int i = percent;
        while (i < encoded.Length)
        {
            if (!IsEscape(encoded, i))
            {
                decoded.Append(encoded[i]);
                i++;
                continue;
            }

            // A run of consecutive escapes, decoded together (whatever its length) because one character can take up to
            // four of them: cutting the run anywhere could split a character in two and leave both halves encoded.
            int start = i;
            int end = i;
            while (IsEscape(encoded, end))
            {
                end += 3;
            }

            int count = (end - start) / 3;
            byte[]? rented = count > small.Length ? ArrayPool<byte>.Shared.Rent(count) : null;
            Span<byte> run = rented is null ? small[..count] : rented.AsSpan(0, count);
            for (int b = 0; b < count; b++, i += 3)
            {
                run[b] = byte.Parse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }

            AppendRun(decoded, run, encoded.AsSpan(start, end - start));
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return decoded.ToString();
    }

    /// <summary>Percent-encodes the characters of a decoded path that cannot appear in a request target.</summary>
    public static string Encode(string decoded)
    {
        if (decoded.AsSpan().IndexOfAnyExcept(LiteralPathCharacters) < 0)
        {
            return decoded;
        }

        var encoded = new StringBuilder(decoded.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in decoded.EnumerateRunes())
        {
            if (rune.IsAscii && LiteralPathCharacters.Contains((char)rune.Value))
            {
                encoded.Append((char)rune.Value);
                continue;
            }

            int length = rune.EncodeToUtf8(utf8);
            foreach (byte b in utf8[..length])
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    /// <summary>Splits a leading <c>/{stage}</c> off a path (HTTP API stages other than <c>$default</c>).</summary>
    public static (string PathBase, string Path) SplitStage(string path, string? stage)
    {
        if (string.IsNullOrEmpty(stage) || stage == "$default")
        {
            return (string.Empty, path);
        }

        string prefix = "/" + stage;
        if (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/'))
        {
            string rest = path[prefix.Length..];
            return (prefix, rest.Length == 0 ? "/" : rest);
        }

        return (string.Empty, path);
    }

    /// <summary>
    /// The base path of a REST API request: what the full request path (<c>requestContext.path</c>, with the stage or the
    /// custom domain's base path mapping) has in front of the resource path (<c>path</c>). When the two do not line up,
    /// the stage, if the full path starts with it.
    /// </summary>
    public static string BaseOf(string? fullPath, string path, string? stage = null)
    {
        if (string.IsNullOrEmpty(fullPath))
        {
            return string.Empty;
        }

        if (!fullPath.EndsWith(path, StringComparison.Ordinal) && path != "/")
        {
            return SplitStage(fullPath, stage).PathBase;
        }

        string prefix;
        if (path == "/")
        {
            prefix = fullPath.TrimEnd('/');
        }
        else
        {
            prefix = fullPath[..^path.Length];
        }

        prefix = prefix.TrimEnd('/');
        return prefix.StartsWith('/') ? prefix : string.Empty;
    }

    /// <summary>
    /// Moves a configured base path (a custom domain's API mapping, say) from the front of <paramref name="path"/> to the
    /// end of <paramref name="pathBase"/>, matching whole segments without regard to case, as <c>UsePathBase</c> does. A
    /// path that does not start with it, or a base that already ends with it, is left as it is.
    /// </summary>
    public static (string PathBase, string Path) StripBase(string pathBase, string path, string? configured)
    {
        if (string.IsNullOrEmpty(configured) || configured == "/")
        {
            return (pathBase, path);
        }

        string prefix = configured.TrimEnd('/');
        if (pathBase.EndsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || !path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || (path.Length > prefix.Length && path[prefix.Length] != '/'))
        {
            return (pathBase, path);
        }

        string rest = path[prefix.Length..];
        return (pathBase + path[..prefix.Length], rest.Length == 0 ? "/" : rest);
    }

    private static bool IsEscape(string text, int index) =>
        index + 2 < text.Length && text[index] == '%' && char.IsAsciiHexDigit(text[index + 1]) && char.IsAsciiHexDigit(text[index + 2]);

    private static void AppendRun(StringBuilder decoded, ReadOnlySpan<byte> bytes, ReadOnlySpan<char> original)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out var rune, out int consumed);
            if (status == OperationStatus.Done && rune.Value != '/')
            {
                decoded.Append(rune.ToString());
                offset += consumed;
            }
            else
            {
                // Not valid UTF-8, or an encoded slash: keep the escape as it was sent.
                decoded.Append(original.Slice(offset * 3, 3));
                offset++;
            }
        }
    }
}
