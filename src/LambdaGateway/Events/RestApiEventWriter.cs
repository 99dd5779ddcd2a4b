using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// Writes an API Gateway REST API proxy event (<c>ANY /{proxy+}</c> and <c>ANY /</c>) as a custom domain mapped at the
/// root delivers it: <c>path</c> as the client encoded it with no stage in front, <c>headers</c> with the last value of
/// each header and <c>multiValueHeaders</c> with all of them, the same for query parameters (decoded), and a body that
/// is not valid UTF-8 base64-encoded (as with binary media types <c>*/*</c>).
/// </summary>
internal static class RestApiEventWriter
{
    /// <summary>The stage name events carry.</summary>
    public const string Stage = "local";

    public static byte[] Write(GatewayRequest request) => EventJson.Document(request.Body.Length * 2 + 2048, json =>
    {
        string resource = request.Path == "/" ? "/" : "/{proxy+}";
        json.WriteStartObject();
        json.WriteString("resource", resource);
        json.WriteString("path", request.RawPath);
        json.WriteString("httpMethod", request.Method);
        WriteValues(json, "headers", "multiValueHeaders", request.Headers);
        WriteValues(json, "queryStringParameters", "multiValueQueryStringParameters", request.Query);
        if (resource == "/")
        {
            json.WriteNull("pathParameters");
        }
        else
        {
            json.WriteStartObject("pathParameters");
            json.WriteString("proxy", request.Path.TrimStart('/'));
            json.WriteEndObject();
        }

        json.WriteNull("stageVariables");
        WriteRequestContext(json, request, resource);
        EventJson.WriteBody(json, request.Body, sendAsText: true);
        json.WriteEndObject();
    });

    private static void WriteValues(Utf8JsonWriter json, string singleName, string multiName, IReadOnlyList<KeyValuePair<string, StringValues>> values)
    {
        if (values.Count == 0)
        {
            json.WriteNull(singleName);
            json.WriteNull(multiName);
            return;
        }

        json.WriteStartObject(singleName);
        foreach (var (name, value) in values)
        {
            json.WriteString(name, value.Count > 0 ? value[^1] : string.Empty);
        }

        json.WriteEndObject();
        json.WriteStartObject(multiName);
        foreach (var (name, value) in values)
        {
            EventJson.WriteStrings(json, name, value);
        }

        json.WriteEndObject();
    }

    private static void WriteRequestContext(Utf8JsonWriter json, GatewayRequest request, string resource)
    {
        json.WriteStartObject("requestContext");
        json.WriteString("resourceId", "local");
        json.WriteString("resourcePath", resource);
        json.WriteString("httpMethod", request.Method);
        json.WriteString("extendedRequestId", request.RequestId);
        json.WriteString("requestTime", EventJson.RequestTime(request.Time));
        json.WriteString("path", request.RawPath);
        json.WriteString("accountId", EventJson.AccountId);
        json.WriteString("protocol", request.Protocol);
        json.WriteString("stage", Stage);
        json.WriteString("domainPrefix", EventJson.DomainPrefix(request.DomainName));
        json.WriteNumber("requestTimeEpoch", request.Time.ToUnixTimeMilliseconds());
        json.WriteString("requestId", request.RequestId);
        json.WriteStartObject("identity");
        json.WriteString("sourceIp", request.SourceIp);
        json.WriteString("userAgent", request.Header(HeaderNames.UserAgent) ?? string.Empty);
        json.WriteEndObject();
        json.WriteString("domainName", request.DomainName);
        json.WriteString("apiId", EventJson.ApiId);
        json.WriteEndObject();
    }
}
