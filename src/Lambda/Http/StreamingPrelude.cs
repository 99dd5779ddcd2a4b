using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>
/// The HTTP integration prelude that starts a streamed response for Function URLs and API Gateway: a JSON document with the
/// status, the headers and (HTTP API 2.0, Function URLs) the cookies, then eight NUL bytes, then the body. Headers that frame
/// a buffered body (Content-Length, Transfer-Encoding, Connection) are left out: the body is streamed.
/// </summary>
internal static class StreamingPrelude
{
    /// <summary>The eight NUL bytes that end the prelude.</summary>
    public const int DelimiterLength = 8;

    /// <summary>Whether responses to events of <paramref name="shape"/> can be streamed (load balancers cannot).</summary>
    public static bool CanStream(EventShape shape) => shape is EventShape.HttpApi or EventShape.RestApi;

    /// <summary>The prelude and its delimiter.</summary>
    public static byte[] Write(EventShape shape, int statusCode, IHeaderDictionary headers)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            if (shape == EventShape.HttpApi)
            {
                json.WriteStartObject("headers");
                foreach (var (name, values) in headers)
                {
                    if (!IsSetCookie(name) && !IsFraming(name))
                    {
                        json.WriteString(name, string.Join(',', values.ToArray()));
                    }
                }

                json.WriteEndObject();
                json.WriteStartArray("cookies");
                foreach (string? cookie in headers.SetCookie)
                {
                    json.WriteStringValue(cookie);
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteStartObject("multiValueHeaders");
                foreach (var (name, values) in headers)
                {
                    if (!IsFraming(name))
                    {
                        json.WriteStartArray(name);
                        foreach (string? value in values)
                        {
                            json.WriteStringValue(value);
                        }

                        json.WriteEndArray();
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        buffer.Write(stackalloc byte[DelimiterLength]);
        return buffer.ToArray();
    }

    private static bool IsSetCookie(string name) => name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase);

    private static bool IsFraming(string name) =>
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase);
}
