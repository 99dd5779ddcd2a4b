using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>
/// Decides whether a response body travels as text or as base64. Text goes as is only when its content type says text
/// and its bytes are valid UTF-8; everything else (images, archives, compressed bodies, other charsets) is base64-encoded,
/// so no byte is lost.
/// </summary>
internal static class ResponseBodyEncoding
{
    public static bool IsText(string? contentType, string? contentEncoding, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return true;
        }

        if (!string.IsNullOrEmpty(contentEncoding) && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !IsTextMediaType(mediaType.MediaType.Value ?? string.Empty))
        {
            return false;
        }

        string? charset = mediaType.Charset.Value;
        bool isUtf8 = string.IsNullOrEmpty(charset)
            || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
        return isUtf8 && Utf8.IsValid(body);
    }

    private static bool IsTextMediaType(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/ecmascript", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/graphql", StringComparison.OrdinalIgnoreCase);
}
