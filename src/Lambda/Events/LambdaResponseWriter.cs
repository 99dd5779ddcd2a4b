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

            bool noContent = statusCode is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent;
            switch (shape)
            {
                case EventShape.HttpApi:
                    WriteHeadersAndCookies(json, headers, noContent);
                    break;
                case EventShape.LoadBalancer:
                    droppedSetCookies = WriteSingleValueHeaders(json, headers, noContent);
                    break;
                default:
                    WriteMultiValueHeaders(json, headers, noContent);
                    break;
            }

            bool isText = ResponseBodyEncoding.IsText(headers.ContentType, headers.ContentEncoding, body);
            json.WriteString("body", isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
            json.WriteBoolean("isBase64Encoded", !isText);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteHeadersAndCookies(Utf8JsonWriter json, IHeaderDictionary headers, bool noContent)
    {
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (!IsSetCookie(name) && IsPassedOn(name, noContent))
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

    private static void WriteMultiValueHeaders(Utf8JsonWriter json, IHeaderDictionary headers, bool noContent)
    {
        json.WriteStartObject("multiValueHeaders");
        foreach (var (name, values) in headers)
        {
            if (!IsPassedOn(name, noContent))
            {
                continue;
            }

            json.WriteStartArray(name);
            foreach (string? value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static int WriteSingleValueHeaders(Utf8JsonWriter json, IHeaderDictionary headers, bool noContent)
    {
        int dropped = 0;
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (!IsPassedOn(name, noContent))
            {
                continue;
            }

            if (IsSetCookie(name))
            {
                // Cookies cannot be joined with commas. Without multi-value headers only one can go; the caller fails the
                // invocation when more were set rather than send this document.
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

    /// <summary>
    /// Whether a header goes into the response document. Hop-by-hop headers describe one connection's framing, which the
    /// front end (API Gateway, the Function URL, the load balancer) does for itself from the body it is given; a 204 or
    /// 205 has no Content-Length.
    /// </summary>
    private static bool IsPassedOn(string name, bool noContent) =>
        !(name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.ProxyConnection, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase)
            || (noContent && name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)));

    private static bool IsSetCookie(string name) => name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase);
}
