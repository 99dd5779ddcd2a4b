using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>
/// Writes an HTTP response in the format of the event source that asked: HTTP API 2.0 and Function URLs take
/// <c>headers</c> plus a <c>cookies</c> list (one entry per Set-Cookie); REST APIs and multi-value load balancers take
/// <c>multiValueHeaders</c>; a single-value load balancer takes one value per header name.
/// </summary>
internal static class LambdaResponseWriter
{
    /// <summary>The response document.</summary>
    /// <param name="shape">The shape of the event being answered.</param>
    /// <param name="statusCode">The status code.</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="body">The response body.</param>
    /// <param name="droppedSetCookies">How many Set-Cookie headers a single-value load balancer response could not carry.</param>
    public static byte[] Write(EventShape shape, int statusCode, IHeaderDictionary headers, ReadOnlySpan<byte> body, out int droppedSetCookies)
    {
        droppedSetCookies = 0;
        using var buffer = new MemoryStream(body.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            if (shape is EventShape.LoadBalancer or EventShape.LoadBalancerMultiValue)
            {
                string reason = ReasonPhrases.GetReasonPhrase(statusCode);
                json.WriteString("statusDescription", reason.Length > 0 ? $"{statusCode} {reason}" : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            switch (shape)
            {
                case EventShape.HttpApi:
                    WriteHeadersAndCookies(json, headers);
                    break;
                case EventShape.LoadBalancer:
                    droppedSetCookies = WriteSingleValueHeaders(json, headers);
                    break;
                default:
                    WriteMultiValueHeaders(json, headers);
                    break;
            }

            bool isText = ResponseBodyEncoding.IsText(headers.ContentType, headers.ContentEncoding, body);
            json.WriteString("body", isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
            json.WriteBoolean("isBase64Encoded", !isText);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteHeadersAndCookies(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (!IsSetCookie(name))
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

    private static void WriteMultiValueHeaders(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        json.WriteStartObject("multiValueHeaders");
        foreach (var (name, values) in headers)
        {
            json.WriteStartArray(name);
            foreach (string? value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static int WriteSingleValueHeaders(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        int dropped = 0;
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (IsSetCookie(name))
            {
                // Cookies cannot be joined with commas. Without multi-value headers only one can go: the last one set, which
                // is the session's (the session middleware writes its cookie just before the response starts).
                dropped = Math.Max(values.Count - 1, 0);
                json.WriteString(name, values.Count > 0 ? values[^1] : string.Empty);
            }
            else
            {
                json.WriteString(name, string.Join(',', values.ToArray()));
            }
        }

        json.WriteEndObject();
        return dropped;
    }

    private static bool IsSetCookie(string name) => name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase);
}
