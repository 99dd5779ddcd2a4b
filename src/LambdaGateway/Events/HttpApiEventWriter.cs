using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// Writes an API Gateway HTTP API event, payload format 2.0, as the <c>$default</c> route of the <c>$default</c> stage
/// delivers it: <c>rawPath</c> decoded, header names lowercased and repeated headers joined with commas, the Cookie
/// header split into <c>cookies</c>, repeated query parameters joined with commas, and a body that is not text (a form
/// post included) base64-encoded.
/// </summary>
internal static class HttpApiEventWriter
{
    public static byte[] Write(GatewayRequest request) => EventJson.Document(request.Body.Length * 2 + 2048, json =>
    {
        json.WriteStartObject();
        json.WriteString("version", "2.0");
        json.WriteString("routeKey", "$default");
        json.WriteString("rawPath", request.Path);
        json.WriteString("rawQueryString", request.RawQuery);

        var cookies = request.Headers
            .Where(h => h.Key.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value)
            .SelectMany(value => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (cookies.Count > 0)
        {
            EventJson.WriteStrings(json, "cookies", cookies);
        }

        json.WriteStartObject("headers");
        foreach (var (name, values) in request.Headers)
        {
            if (!name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase))
            {
                json.WriteString(name.ToLowerInvariant(), string.Join(',', values.ToArray()));
            }
        }

        json.WriteEndObject();
        if (request.Query.Count > 0)
        {
            json.WriteStartObject("queryStringParameters");
            foreach (var (name, values) in request.Query)
            {
                json.WriteString(name, string.Join(',', values.ToArray()));
            }

            json.WriteEndObject();
        }

        WriteRequestContext(json, request);
        EventJson.WriteBody(json, request.Body, IsText(request.Header(HeaderNames.ContentType)));
        json.WriteEndObject();
    });

    private static void WriteRequestContext(Utf8JsonWriter json, GatewayRequest request)
    {
        json.WriteStartObject("requestContext");
        json.WriteString("accountId", EventJson.AccountId);
        json.WriteString("apiId", EventJson.ApiId);
        json.WriteString("domainName", request.DomainName);
        json.WriteString("domainPrefix", EventJson.DomainPrefix(request.DomainName));
        json.WriteStartObject("http");
        json.WriteString("method", request.Method);
        json.WriteString("path", request.Path);
        json.WriteString("protocol", request.Protocol);
        json.WriteString("sourceIp", request.SourceIp);
        json.WriteString("userAgent", request.Header(HeaderNames.UserAgent) ?? string.Empty);
        json.WriteEndObject();
        json.WriteString("requestId", request.RequestId);
        json.WriteString("routeKey", "$default");
        json.WriteString("stage", "$default");
        json.WriteString("time", EventJson.RequestTime(request.Time));
        json.WriteNumber("timeEpoch", request.Time.ToUnixTimeMilliseconds());
        json.WriteEndObject();
    }

    // HTTP APIs pass text and JSON bodies as they are; everything else, form posts included, arrives base64-encoded.
    private static bool IsText(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return false;
        }

        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase);
    }
}
