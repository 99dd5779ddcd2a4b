using System.Buffers;
using System.Text.Json;

namespace SessionsServerless;

/// <summary>
/// Writes and reads a JSON string literal exactly as JavaScript's <c>JSON.stringify</c> writes one: only <c>"</c>,
/// <c>\</c> and control characters are escaped, everything else stays as UTF-8.
/// </summary>
internal static class JsonStringLiteral
{
    // What JSON.stringify escapes in a string, and what must not appear unescaped in one.
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"u8);

    /// <summary>The most bytes <see cref="Write"/> needs for <paramref name="utf8Length"/> bytes of text.</summary>
    public static int GetMaxLength(int utf8Length) => (utf8Length * 6) + 2;

    /// <summary>Writes <paramref name="utf8"/> (valid UTF-8) as a quoted, escaped literal; returns the bytes written.</summary>
    public static int Write(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        int position = 0;
        destination[position++] = (byte)'"';
        while (true)
        {
            // Runs without anything to escape are copied whole (the search is vectorised).
            int run = utf8.IndexOfAny(MustEscape);
            if (run < 0)
            {
                utf8.CopyTo(destination[position..]);
                position += utf8.Length;
                break;
            }

            utf8[..run].CopyTo(destination[position..]);
            position += run;
            position += WriteEscape(utf8[run], destination[position..]);
            utf8 = utf8[(run + 1)..];
        }

        destination[position++] = (byte)'"';
        return position;
    }

    /// <summary>
    /// Reads <paramref name="json"/> as one JSON string value (surrounding whitespace allowed) and writes its unescaped
    /// UTF-8 content to a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Returns <see langword="false"/> when the
    /// text is not exactly one JSON string.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out byte[]? content, out int contentLength)
    {
        content = null;
        contentLength = 0;
        if (IsQuoted(json))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(json.Length - 2, 1));
            switch (TryUnescapeCommon(json[1..^1], buffer, out int written))
            {
                case Unescape.Done:
                    content = buffer;
                    contentLength = written;
                    return true;
                case Unescape.Invalid:
                    ArrayPool<byte>.Shared.Return(buffer);
                    return false;
                default:
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
            }
        }

        return TryReadWithReader(json, out content, out contentLength);
    }

    /// <summary>
    /// As <see cref="TryRead"/>, but into an array of exactly the content's length that the caller keeps (a session keeps
    /// slices of it).
    /// </summary>
    public static bool TryReadOwned(ReadOnlySpan<byte> json, out byte[]? content, out int contentLength)
    {
        content = null;
        contentLength = 0;
        if (IsQuoted(json))
        {
            byte[]? rented = json.Length > 1024 ? ArrayPool<byte>.Shared.Rent(json.Length) : null;
            Span<byte> buffer = rented ?? stackalloc byte[1024];
            try
            {
                switch (TryUnescapeCommon(json[1..^1], buffer, out int written))
                {
                    case Unescape.Done:
                        content = buffer[..written].ToArray();
                        contentLength = written;
                        return true;
                    case Unescape.Invalid:
                        return false;
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        if (!TryReadWithReader(json, out byte[]? pooled, out int length))
        {
            return false;
        }

        content = pooled.AsSpan(0, length).ToArray();
        contentLength = length;
        ArrayPool<byte>.Shared.Return(pooled!);
        return true;
    }

    private enum Unescape
    {
        Done,
        Invalid,
        NeedsReader,
    }

    private static bool IsQuoted(ReadOnlySpan<byte> json) => json.Length >= 2 && json[0] == '"' && json[^1] == '"';

    /// <summary>
    /// Unescapes the content of a literal that uses only the escapes JSON.stringify writes for JSON text (<c>\"</c> and
    /// <c>\\</c>, plus <c>\/</c>). Anything else (<c>\n</c>, <c>\u0041</c>, ...) is left to <see cref="Utf8JsonReader"/>.
    /// </summary>
    private static Unescape TryUnescapeCommon(ReadOnlySpan<byte> inner, Span<byte> destination, out int written)
    {
        written = 0;
        while (true)
        {
            int run = inner.IndexOfAny(MustEscape);
            if (run < 0)
            {
                inner.CopyTo(destination[written..]);
                written += inner.Length;
                return Unescape.Done;
            }

            inner[..run].CopyTo(destination[written..]);
            written += run;
            if (inner[run] != '\\')
            {
                // An unescaped quote ends the string early; a raw control character is not JSON.
                return Unescape.Invalid;
            }

            if (run + 1 >= inner.Length)
            {
                return Unescape.Invalid;
            }

            byte escaped = inner[run + 1];
            if (escaped is not ((byte)'"' or (byte)'\\' or (byte)'/'))
            {
                return Unescape.NeedsReader;
            }

            destination[written++] = escaped;
            inner = inner[(run + 2)..];
        }
    }

    private static bool TryReadWithReader(ReadOnlySpan<byte> json, out byte[]? content, out int contentLength)
    {
        content = null;
        contentLength = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            int maxLength = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(maxLength, 1));
            int written = reader.CopyString(buffer);
            if (reader.Read())
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return false;
            }

            content = buffer;
            contentLength = written;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int WriteEscape(byte b, Span<byte> destination)
    {
        const string Hex = "0123456789abcdef";
        destination[0] = (byte)'\\';
        switch (b)
        {
            case (byte)'"':
            case (byte)'\\':
                destination[1] = b;
                return 2;
            case (byte)'\b':
                destination[1] = (byte)'b';
                return 2;
            case (byte)'\f':
                destination[1] = (byte)'f';
                return 2;
            case (byte)'\n':
                destination[1] = (byte)'n';
                return 2;
            case (byte)'\r':
                destination[1] = (byte)'r';
                return 2;
            case (byte)'\t':
                destination[1] = (byte)'t';
                return 2;
            default:
                destination[1] = (byte)'u';
                destination[2] = (byte)'0';
                destination[3] = (byte)'0';
                destination[4] = (byte)Hex[b >> 4];
                destination[5] = (byte)Hex[b & 0xF];
                return 6;
        }
    }
}
