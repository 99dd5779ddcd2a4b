using System.Text;
using System.Text.Json;

namespace SessionsServerless;

/// <summary>
/// Maps <c>ISession</c>'s byte values onto session JSON so both APIs, and a Hono app sharing the cookie, see the same
/// values: UTF-8 text (what <c>SetString</c> writes) is a JSON string, other bytes a <c>{"$bytes":"base64"}</c> object,
/// and a value written as other JSON (a number set through <see cref="SessionKey{T}"/>) reads as its JSON text.
/// </summary>
internal static class SessionBytes
{
    private const string BytesProperty = "$bytes";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] ToJson(byte[] value)
    {
        string? text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            text = null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(value.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (text is not null)
            {
                writer.WriteStringValue(text);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteBase64String(BytesProperty, value);
                writer.WriteEndObject();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] FromJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return Encoding.UTF8.GetBytes(reader.GetString()!);
            }

            if (reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(BytesProperty)
                && reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out byte[]? bytes)
                && reader.Read() && reader.TokenType == JsonTokenType.EndObject)
            {
                return bytes;
            }
        }

        return json.ToArray();
    }
}
