using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionsServerless;

/// <summary>Reads and writes <see cref="SessionData"/> as the JSON hono-sessions stores.</summary>
internal static class SessionJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The JSON is sealed or stored, never embedded in HTML: keep non-ASCII as UTF-8, like JSON.stringify.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static ReadOnlySpan<byte> DataProperty => "_data"u8;

    private static ReadOnlySpan<byte> ExpireProperty => "_expire"u8;

    private static ReadOnlySpan<byte> DeleteProperty => "_delete"u8;

    private static ReadOnlySpan<byte> AccessedProperty => "_accessed"u8;

    private static ReadOnlySpan<byte> CreatedProperty => "_created"u8;

    private static ReadOnlySpan<byte> ValueProperty => "value"u8;

    private static ReadOnlySpan<byte> FlashProperty => "flash"u8;

    private static readonly byte[] NullValue = "null"u8.ToArray();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/>.</summary>
    public static void Write(SessionData data, IBufferWriter<byte> output)
    {
        // One writer per thread, reset for each session: a writer is a large object to allocate on every save.
        var writer = t_writer;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            WriteSession(writer, data);
            writer.Flush();
        }
        finally
        {
            t_writer = writer;
        }
    }

    private static void WriteSession(Utf8JsonWriter writer, SessionData data)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(DataProperty);
        foreach (var (key, entry) in data.Entries)
        {
            writer.WriteStartObject(key);
            writer.WritePropertyName(ValueProperty);
            writer.WriteRawValue(entry.Json.Span, skipInputValidation: true);
            writer.WriteBoolean(FlashProperty, entry.IsFlash);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        WriteTimestamp(writer, ExpireProperty, data.ExpiresAt);
        writer.WriteBoolean(DeleteProperty, data.IsDeleted);
        WriteTimestamp(writer, AccessedProperty, data.LastAccessed);
        if (data.CreatedAt is { } created)
        {
            WriteTimestamp(writer, CreatedProperty, created);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="data"/> as a UTF-8 JSON string.</summary>
    public static string WriteToString(SessionData data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(data, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads session JSON. The values keep referring to <paramref name="json"/>, which must not be reused afterwards.
    /// Returns <see langword="null"/> when the JSON does not have the session shape.
    /// </summary>
    public static SessionData? Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var data = new SessionData();
            bool sawData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(DataProperty))
                {
                    reader.Read();
                    if (!ReadEntries(ref reader, json, data))
                    {
                        return null;
                    }

                    sawData = true;
                }
                else if (reader.ValueTextEquals(ExpireProperty))
                {
                    reader.Read();
                    if (!TryReadTimestamp(ref reader, out var expires))
                    {
                        return null;
                    }

                    data.ExpiresAt = expires;
                }
                else if (reader.ValueTextEquals(DeleteProperty))
                {
                    reader.Read();
                    data.IsDeleted = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals(AccessedProperty))
                {
                    reader.Read();
                    if (!TryReadTimestamp(ref reader, out var accessed))
                    {
                        return null;
                    }

                    data.LastAccessed = accessed;
                }
                else if (reader.ValueTextEquals(CreatedProperty))
                {
                    reader.Read();
                    if (!TryReadTimestamp(ref reader, out var created))
                    {
                        return null;
                    }

                    data.CreatedAt = created;
                }
                else
                {
                    // _id (hono's server stores) and anything else: not part of the session's content here.
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && sawData ? data : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool ReadEntries(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, SessionData data)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = SessionEntryNames.Read(ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadOnlyMemory<byte> value = NullValue;
            bool flash = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ValueProperty))
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    value = json[start..end];
                }
                else if (reader.ValueTextEquals(FlashProperty))
                {
                    reader.Read();
                    flash = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            data.Entries[key] = new SessionEntry(value, flash);
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> property, DateTimeOffset? value)
    {
        if (value is not { } timestamp)
        {
            writer.WriteNull(property);
            return;
        }

        // JavaScript's Date.prototype.toISOString: UTC, milliseconds, 'Z' (yyyy-MM-ddTHH:mm:ss.fffZ), written digit by
        // digit: a custom format string is parsed again on every call.
        Span<byte> text = stackalloc byte[24];
        var utc = timestamp.UtcDateTime;
        WriteDigits(text[..4], utc.Year);
        text[4] = (byte)'-';
        WriteDigits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        WriteDigits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        WriteDigits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        WriteDigits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        WriteDigits(text.Slice(17, 2), utc.Second);
        text[19] = (byte)'.';
        WriteDigits(text.Slice(20, 3), utc.Millisecond);
        text[23] = (byte)'Z';
        writer.WriteString(property, text);
    }

    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                if (reader.TryGetDateTimeOffset(out var parsed))
                {
                    value = parsed;
                    return true;
                }

                return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lenient)
                    && (value = lenient) is not null;
            default:
                return false;
        }
    }
}
