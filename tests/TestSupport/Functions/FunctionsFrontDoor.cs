using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.TestSupport;

/// <summary>
/// What <c>func start</c> is to a browser: an HTTP listener on a loopback port whose requests reach the custom handler
/// through <see cref="FunctionsHost"/> (<see cref="RequestOrigin.LocalFuncStart"/>), and whose responses come back as the
/// handler sent them, every Set-Cookie header included.
/// </summary>
public sealed class FunctionsFrontDoor : IAsyncDisposable
{
    private readonly KestrelApp _listener;

    private FunctionsFrontDoor(KestrelApp listener) => _listener = listener;

    /// <summary>Where a browser sends requests.</summary>
    public Uri Address => _listener.BaseAddress;

    public static async Task<FunctionsFrontDoor> StartAsync(FunctionsHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var listener = await KestrelApp.StartAsync(_ => { }, app => app.Run(context => ForwardAsync(context, host)));
        return new FunctionsFrontDoor(listener);
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private static async Task ForwardAsync(HttpContext context, FunctionsHost host)
    {
        var request = context.Request;
        var url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), url);
        foreach (var (name, values) in request.Headers)
        {
            if (!IsContentHeader(name) && !IsHopByHop(name))
            {
                forwarded.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0)
        {
            forwarded.Content = new ByteArrayContent(body.ToArray());
            if (request.ContentType is { } contentType)
            {
                forwarded.Content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, contentType);
            }
        }

        using var response = await host.ForwardAsync(forwarded, RequestOrigin.LocalFuncStart);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!IsHopByHop(name))
            {
                context.Response.Headers.Append(name, values.ToArray());
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    private static bool IsHopByHop(string name) =>
        name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase);
}
