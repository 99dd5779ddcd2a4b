using System.Buffers;
using System.Text.Json;

namespace SessionsServerless;

/// <summary>
/// Writes and reads a JSON string literal exactly as JavaScript's <c>JSON.stringify</c> writes one: only <c>"</c>,
/// <c>\</c> and control characters are escaped, everything else stays as UTF-8.
/// </summary>
internal static class JsonStringLiteral
{
    /// <summary>The most bytes <see cref="Write"/> needs for <paramref name="utf8Length"/> bytes of text.</summary>
    public static int GetMaxLength(int utf8Length) => (utf8Length * 6) + 2;

    /// <summary>Writes <paramref name="utf8"/> (valid UTF-8) as a quoted, escaped literal; returns the bytes written.</summary>
    public static int Write(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        const string Hex = "0123456789abcdef";
        int position = 0;
        destination[position++] = (byte)'"';
        foreach (byte b in utf8)
        {
            switch (b)
            {
                case (byte)'"':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'"';
                    break;
                case (byte)'\\':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'\\';
                    break;
                case (byte)'\b':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'b';
                    break;
                case (byte)'\f':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'f';
                    break;
                case (byte)'\n':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'n';
                    break;
                case (byte)'\r':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'r';
                    break;
                case (byte)'\t':
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'t';
                    break;
                case < 0x20:
                    destination[position++] = (byte)'\\';
                    destination[position++] = (byte)'u';
                    destination[position++] = (byte)'0';
                    destination[position++] = (byte)'0';
                    destination[position++] = (byte)Hex[b >> 4];
                    destination[position++] = (byte)Hex[b & 0xF];
                    break;
                default:
                    destination[position++] = b;
                    break;
            }
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
}
