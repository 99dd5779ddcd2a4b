using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Repairs what the Functions host's request forwarding loses, for requests that come from the host (the loopback
/// address) only:
/// <list type="bullet">
/// <item>The scheme, from <c>X-ARR-SSL</c> when there is no <c>X-Forwarded-Proto</c> (the App Service front end marks
/// requests that arrived over TLS with it).</item>
/// <item>The query string, from <c>X-Original-URL</c>: the host rebuilds the query from its parsed form, which merges
/// repeated keys (<c>?a=1&amp;a=2</c> arrives as <c>?a=1,2</c>). The original is restored only when its path is the
/// request's path, so the header can change nothing about where the request goes.</item>
/// </list>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are applied after this by ASP.NET Core's forwarded-headers middleware.
/// </summary>
internal sealed class ForwardedRequestMiddleware
{
    internal const string ArrSslHeader = "X-ARR-SSL";
    internal const string OriginalUrlHeader = "X-Original-URL";
    private const string ForwardedProtoHeader = "X-Forwarded-Proto";

    private readonly RequestDelegate _next;

    public ForwardedRequestMiddleware(RequestDelegate next)
    {
        _next = next;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            var request = context.Request;
            if (StringValues.IsNullOrEmpty(request.Headers[ForwardedProtoHeader]) && !StringValues.IsNullOrEmpty(request.Headers[ArrSslHeader]))
            {
                request.Scheme = Uri.UriSchemeHttps;
            }

            RestoreOriginalQuery(request);
        }

        return _next(context);
    }

    private static void RestoreOriginalQuery(HttpRequest request)
    {
        var originalUrl = request.Headers[OriginalUrlHeader];
        if (originalUrl.Count != 1 || originalUrl[0] is not { Length: > 0 } value || value[0] != '/')
        {
            return;
        }

        int queryStart = value.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? value : value[..queryStart];
        string query = queryStart < 0 ? string.Empty : value[queryStart..];
        if (query.Length == 1 || query.AsSpan().IndexOfAny('#', ' ') >= 0 || query.Any(char.IsControl))
        {
            return;
        }

        PathString originalPath;
        try
        {
            originalPath = PathString.FromUriComponent(path);
        }
        catch (UriFormatException)
        {
            return;
        }

        if (originalPath.Equals(request.PathBase.Add(request.Path), StringComparison.Ordinal))
        {
            request.QueryString = new QueryString(query.Length == 0 ? null : query);
        }
    }
}
