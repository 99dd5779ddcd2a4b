using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace SessionsServerless.LambdaGateway;

/// <summary>An HTTP request as the gateway received it, with the headers API Gateway adds, ready to become an event.</summary>
internal sealed class GatewayRequest
{
    public required string Method { get; init; }

    /// <summary>The path as the client sent it (percent-encoded).</summary>
    public required string RawPath { get; init; }

    /// <summary>The path decoded as Kestrel decodes it (an encoded slash stays encoded).</summary>
    public required string Path { get; init; }

    /// <summary>The query string as the client sent it, without <c>?</c>.</summary>
    public required string RawQuery { get; init; }

    /// <summary>The query parameters, decoded.</summary>
    public required IReadOnlyList<KeyValuePair<string, StringValues>> Query { get; init; }

    /// <summary>The request headers, plus <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Port</c>.</summary>
    public required IReadOnlyList<KeyValuePair<string, StringValues>> Headers { get; init; }

    public required byte[] Body { get; init; }

    public required string Protocol { get; init; }

    public required string SourceIp { get; init; }

    /// <summary>The host the client addressed, without the port.</summary>
    public required string DomainName { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>API Gateway's id of the request (not the Lambda request id).</summary>
    public required string RequestId { get; init; }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.LastOrDefault();

    /// <summary>Takes what the event needs from a request whose body was read.</summary>
    public static GatewayRequest From(HttpContext context, byte[] body, DateTimeOffset time)
    {
        var request = context.Request;
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (!target.StartsWith('/'))
        {
            target = (request.PathBase + request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        int question = target.IndexOf('?', StringComparison.Ordinal);
        string rawPath = question < 0 ? target : target[..question];
        string rawQuery = question < 0 ? string.Empty : target[(question + 1)..];

        var remote = context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        string sourceIp = (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
        var headers = request.Headers.Where(h => !IsForwarded(h.Key)).ToList();
        string? forwardedFor = request.Headers["X-Forwarded-For"].ToString();
        headers.Add(new("X-Forwarded-For", string.IsNullOrEmpty(forwardedFor) ? sourceIp : forwardedFor + ", " + sourceIp));
        headers.Add(new("X-Forwarded-Port", context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("X-Forwarded-Proto", request.Scheme));

        return new GatewayRequest
        {
            Method = request.Method,
            RawPath = rawPath,
            Path = (request.PathBase + request.Path).Value is { Length: > 0 } path ? path : "/",
            RawQuery = rawQuery,
            Query = request.Query.ToList(),
            Headers = headers,
            Body = body,
            Protocol = request.Protocol,
            SourceIp = sourceIp,
            DomainName = request.Host.Host is { Length: > 0 } host ? host : "127.0.0.1",
            Time = time,
            RequestId = Guid.NewGuid().ToString(),
        };
    }

    // API Gateway sets these itself: the client's values for Proto and Port are replaced, For is appended to.
    private static bool IsForwarded(string name) =>
        name.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Forwarded-Proto", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Forwarded-Port", StringComparison.OrdinalIgnoreCase);
}
