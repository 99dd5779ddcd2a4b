using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>
/// Turns an event into the HTTP request it carries. The shape is detected from the payload: API Gateway HTTP API payload
/// 2.0 and Function URLs (<c>requestContext.http</c>), Application Load Balancers (<c>requestContext.elb</c>), API Gateway
/// REST APIs and HTTP API payload 1.0 (<c>httpMethod</c>).
/// </summary>
internal static class LambdaEventReader
{
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<char> ForbiddenValueCharacters = SearchValues.Create("\r\n\0");

    /// <summary>Maps an event.</summary>
    /// <param name="payload">The event document.</param>
    /// <param name="pathBase">A base path to move from the front of the path to <c>PathBase</c> (a custom domain's API mapping), or <see langword="null"/>.</param>
    /// <exception cref="LambdaEventException">
    /// The payload is not JSON, not an HTTP event this host knows, or holds text that is not valid Unicode.
    /// </exception>
    public static LambdaRequest Read(ReadOnlyMemory<byte> payload, string? pathBase = null)
    {
        var source = new Source(payload, pathBase);
        // Tolerate a UTF-8 byte order mark (hand-written test events often carry one).
        if (payload.Span.StartsWith("\uFEFF"u8))
        {
            payload = payload[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            throw new LambdaEventException($"The event is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LambdaEventException($"The event is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an HTTP event object.");
            }

            var context = Object(root, "requestContext");
            if (context is { } http2 && Object(http2, "http") is { } http && String(root, "version") == "2.0")
            {
                return ReadHttpApi(source, root, http2, http);
            }

            if (context is { } elbContext && Object(elbContext, "elb") is not null)
            {
                return ReadLoadBalancer(source, root);
            }

            if (context is { } restContext && root.TryGetProperty("httpMethod", out _))
            {
                return ReadRestApi(source, root, restContext);
            }

            throw new LambdaEventException(
                "The event is not an HTTP event from API Gateway, a Function URL or an Application Load Balancer "
                + "(it has neither requestContext.http, requestContext.elb nor httpMethod with a requestContext).");
        }
    }

    private static LambdaRequest ReadHttpApi(Source source, JsonElement root, JsonElement context, JsonElement http)
    {
        string method = Method(String(http, "method"), "requestContext.http.method");
        string rawPath = String(root, "rawPath") ?? String(http, "path") ?? "/";
        string query = String(root, "rawQueryString") is { Length: > 0 } rawQuery ? "?" + rawQuery : string.Empty;
        var headers = SingleValueHeaders(root, "headers");
        if (Array(root, "cookies") is { } cookies)
        {
            AddCookies(headers, cookies);
        }

        string? domainName = String(context, "domainName");
        bool isFunctionUrl = domainName is not null && domainName.Contains(".lambda-url.", StringComparison.OrdinalIgnoreCase);
        string pathBase, path, rawTarget;
        if (isFunctionUrl)
        {
            // Function URLs pass the path as the client encoded it.
            pathBase = string.Empty;
            path = EventPaths.Decode(rawPath);
            rawTarget = rawPath + query;
        }
        else
        {
            // HTTP APIs decode the path before the event is built; a stage other than $default leads it.
            (pathBase, path) = EventPaths.SplitStage(rawPath, String(context, "stage"));
            rawTarget = EventPaths.Encode(rawPath) + query;
        }

        var identity = LambdaIdentityReader.FromHttpApi(context);
        string? certificate = Object(context, "authentication") is { } authentication ? ClientCertificate(authentication) : null;
        var eventSource = isFunctionUrl ? LambdaEventSource.FunctionUrl : LambdaEventSource.HttpApi;
        return Build(source, root, EventShape.HttpApi, eventSource, method, pathBase, path, query, rawTarget, headers, String(http, "protocol"), String(http, "sourceIp"), domainName, identity, certificate);
    }

    private static LambdaRequest ReadRestApi(Source source, JsonElement root, JsonElement context)
    {
        string method = Method(String(root, "httpMethod"), "httpMethod");
        string rawPath = String(root, "path") ?? "/";
        var headers = Object(root, "multiValueHeaders") is not null ? MultiValueHeaders(root, "multiValueHeaders") : SingleValueHeaders(root, "headers");
        string query = Object(root, "multiValueQueryStringParameters") is not null
            ? EncodedQuery(root, "multiValueQueryStringParameters", multiValue: true)
            : EncodedQuery(root, "queryStringParameters", multiValue: false);

        string pathBase, path, rawTarget;
        bool isHttpApi = String(root, "version") == "1.0";
        if (isHttpApi)
        {
            // HTTP API payload format 1.0: the path is decoded and starts with the stage, as in format 2.0.
            (pathBase, path) = EventPaths.SplitStage(rawPath, String(context, "stage"));
            rawTarget = EventPaths.Encode(rawPath) + query;
        }
        else
        {
            // REST API: `path` is the encoded resource path; requestContext.path adds the stage or custom domain base path.
            string rawBase = EventPaths.BaseOf(String(context, "path"), rawPath, String(context, "stage"));
            pathBase = EventPaths.Decode(rawBase);
            path = EventPaths.Decode(rawPath);
            rawTarget = rawBase + rawPath + query;
        }

        var callerIdentity = Object(context, "identity");
        string? sourceIp = callerIdentity is { } identity ? String(identity, "sourceIp") : null;
        string? certificate = callerIdentity is { } withCertificate ? ClientCertificate(withCertificate) : null;
        var user = LambdaIdentityReader.FromRestApi(context, isHttpApi);
        var eventSource = isHttpApi ? LambdaEventSource.HttpApi : LambdaEventSource.RestApi;
        return Build(source, root, EventShape.RestApi, eventSource, method, pathBase, path, query, rawTarget, headers, String(context, "protocol"), sourceIp, String(context, "domainName"), user, certificate);
    }

    private static LambdaRequest ReadLoadBalancer(Source source, JsonElement root)
    {
        string method = Method(String(root, "httpMethod"), "httpMethod");
        string rawPath = String(root, "path") ?? "/";
        bool multiValue = Object(root, "multiValueHeaders") is not null || Object(root, "multiValueQueryStringParameters") is not null;
        var headers = multiValue ? MultiValueHeaders(root, "multiValueHeaders") : SingleValueHeaders(root, "headers");

        // A load balancer passes query parameters as the client encoded them.
        string query = RawQuery(root, multiValue ? "multiValueQueryStringParameters" : "queryStringParameters", multiValue);

        // The load balancer appends the address it saw to X-Forwarded-For; what comes before it is the client's say-so.
        string? sourceIp = headers.TryGetValue("X-Forwarded-For", out var forwardedFor) && forwardedFor.Count > 0
            ? forwardedFor[^1]!.Split(',')[^1].Trim()
            : null;
        var shape = multiValue ? EventShape.LoadBalancerMultiValue : EventShape.LoadBalancer;
        return Build(source, root, shape, LambdaEventSource.ApplicationLoadBalancer, method, string.Empty, EventPaths.Decode(rawPath), query, rawPath + query, headers, null, sourceIp, null, null, null);
    }

    private static LambdaRequest Build(
        Source source,
        JsonElement root,
        EventShape shape,
        LambdaEventSource eventSource,
        string method,
        string pathBase,
        string path,
        string query,
        string rawTarget,
        HeaderDictionary headers,
        string? protocol,
        string? sourceIp,
        string? domainName,
        System.Security.Claims.ClaimsPrincipal? user,
        string? clientCertificatePem)
    {
        (pathBase, path) = EventPaths.StripBase(pathBase, path.StartsWith('/') ? path : "/" + path, source.PathBase);
        byte[] body = Body(root);
        if (body.Length > 0 || headers.ContainsKey("Content-Length"))
        {
            // The event carries the whole body: its length is what the app will read.
            headers.ContentLength = body.Length;
        }

        if (!headers.ContainsKey("Host") && !string.IsNullOrEmpty(domainName))
        {
            headers[HeaderNames.Host] = domainName;
        }

        string scheme = First(headers, "X-Forwarded-Proto")?.ToLowerInvariant() is "http" ? "http" : "https";
        int localPort = int.TryParse(First(headers, "X-Forwarded-Port"), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 0;
        return new LambdaRequest
        {
            Shape = shape,
            Method = method,
            Scheme = scheme,
            Protocol = string.IsNullOrEmpty(protocol) ? "HTTP/1.1" : protocol,
            PathBase = pathBase,
            Path = path,
            QueryString = query,
            RawTarget = rawTarget.StartsWith('/') ? rawTarget : "/" + rawTarget,
            Headers = headers,
            Body = body,
            RemoteIpAddress = IPAddress.TryParse(sourceIp, out var address) ? address : null,
            LocalPort = localPort,
            Source = eventSource,
            Event = source.Payload,
            User = user,
            ClientCertificatePem = clientCertificatePem,
        };
    }

    private static byte[] Body(JsonElement root)
    {
        string? body = String(root, "body");
        if (string.IsNullOrEmpty(body))
        {
            return [];
        }

        bool isBase64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (!isBase64)
        {
            return Encoding.UTF8.GetBytes(body);
        }

        try
        {
            return Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw new LambdaEventException("The event's body is marked isBase64Encoded but is not valid base64.");
        }
    }

    private static string Method(string? method, string field)
    {
        if (string.IsNullOrEmpty(method) || method.AsSpan().ContainsAny(" \t\r\n"))
        {
            throw new LambdaEventException($"The event has no valid HTTP method in {field}.");
        }

        return HttpMethods.GetCanonicalizedValue(method);
    }

    private static HeaderDictionary SingleValueHeaders(JsonElement root, string name)
    {
        var headers = new HeaderDictionary();
        if (Object(root, name) is { } values)
        {
            foreach (var header in values.EnumerateObject())
            {
                string headerName = HeaderName(header, name);
                if (headerName.Length > 0 && StringValue(header.Value, name) is { } value)
                {
                    headers.Append(headerName, HeaderValue(value, headerName));
                }
            }
        }

        return headers;
    }

    private static HeaderDictionary MultiValueHeaders(JsonElement root, string name)
    {
        var headers = new HeaderDictionary();
        if (Object(root, name) is { } values)
        {
            foreach (var header in values.EnumerateObject())
            {
                string headerName = HeaderName(header, name);
                if (headerName.Length > 0)
                {
                    var headerValues = StringValues(header.Value, name);
                    foreach (string? value in headerValues)
                    {
                        HeaderValue(value, headerName);
                    }

                    headers.Append(headerName, headerValues);
                }
            }
        }

        return headers;
    }

    private static void AddCookies(HeaderDictionary headers, JsonElement cookies)
    {
        var pairs = new List<string>();
        if (headers.TryGetValue("Cookie", out var existing))
        {
            pairs.AddRange(existing.Where(value => !string.IsNullOrEmpty(value))!);
        }

        foreach (var cookie in cookies.EnumerateArray())
        {
            if (StringValue(cookie, "cookies") is { Length: > 0 } value)
            {
                pairs.Add(HeaderValue(value, "Cookie")!);
            }
        }

        if (pairs.Count > 0)
        {
            headers[HeaderNames.Cookie] = string.Join("; ", pairs);
        }
    }

    /// <summary>API Gateway decodes query parameters: encode them again for the query string.</summary>
    private static string EncodedQuery(JsonElement root, string name, bool multiValue) =>
        Query(root, name, multiValue, Uri.EscapeDataString);

    private static string RawQuery(JsonElement root, string name, bool multiValue) =>
        Query(root, name, multiValue, static part => part);

    private static string Query(JsonElement root, string name, bool multiValue, Func<string, string> encode)
    {
        if (Object(root, name) is not { } parameters)
        {
            return string.Empty;
        }

        var query = new StringBuilder();
        foreach (var parameter in parameters.EnumerateObject())
        {
            var values = multiValue ? StringValues(parameter.Value, name) : new StringValues(StringValue(parameter.Value, name));
            foreach (string? value in values)
            {
                if (value is null)
                {
                    continue;
                }

                query.Append(query.Length == 0 ? '?' : '&').Append(encode(Text(parameter, name))).Append('=').Append(encode(value));
            }
        }

        return query.ToString();
    }

    private static string? First(HeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0]?.Split(',')[0].Trim() : null;

    private static JsonElement? Object(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw new LambdaEventException($"The event's '{name}' is not an object.");
    }

    private static JsonElement? Array(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Array ? value : throw new LambdaEventException($"The event's '{name}' is not an array.");
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? StringValue(value, name) : null;

    private static string? StringValue(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => Text(value, name),
        JsonValueKind.Null => null,
        _ => throw new LambdaEventException($"The event's '{name}' holds a {value.ValueKind.ToString().ToLowerInvariant()} where a string belongs."),
    };

    private static StringValues StringValues(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Microsoft.Extensions.Primitives.StringValues.Empty;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new LambdaEventException($"The event's '{name}' holds a {value.ValueKind.ToString().ToLowerInvariant()} where a list of strings belongs.");
        }

        var values = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (StringValue(item, name) is { } text)
            {
                values.Add(text);
            }
        }

        return new StringValues(values.ToArray());
    }

    /// <summary>The PEM of <c>clientCert.clientCertPem</c> (API Gateway mutual TLS), if the object has one.</summary>
    private static string? ClientCertificate(JsonElement parent) =>
        Object(parent, "clientCert") is { } certificate && String(certificate, "clientCertPem") is { Length: > 0 } pem ? pem : null;

    /// <summary>A string's text; text that is not valid Unicode (a lone surrogate escape, bytes that are not UTF-8) is an invalid event.</summary>
    private static string Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InvalidText(name);
        }
    }

    private static string Text(JsonProperty property, string name)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw InvalidText(name);
        }
    }

    private static LambdaEventException InvalidText(string name) =>
        new($"The event's '{name}' holds text that is not valid Unicode (a lone surrogate or bytes that are not UTF-8).");

    /// <summary>A header name as Kestrel accepts one: a token (no separators, spaces or control characters).</summary>
    private static string HeaderName(JsonProperty header, string name)
    {
        string headerName = Text(header, name);
        if (headerName.AsSpan().IndexOfAnyExcept(TokenCharacters) >= 0)
        {
            throw new LambdaEventException($"The event's '{name}' has a header name with a character a header name cannot have.");
        }

        return headerName;
    }

    /// <summary>A header value as Kestrel accepts one: no CR, LF or NUL (which would let a value forge another header).</summary>
    private static string? HeaderValue(string? value, string headerName)
    {
        if (value is not null && value.AsSpan().IndexOfAny(ForbiddenValueCharacters) >= 0)
        {
            throw new LambdaEventException($"The event's header '{headerName}' has a value with a CR, LF or NUL character.");
        }

        return value;
    }

    /// <summary>What an event is read with: its bytes and the configured base path.</summary>
    private readonly record struct Source(ReadOnlyMemory<byte> Payload, string? PathBase);
}
