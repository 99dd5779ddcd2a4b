using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using SessionsServerless.TestSupport.FunctionsWorker.Rpc;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// The host's public HTTP side for a worker with the ASP.NET Core integration: finds the function by route template,
/// route constraints and method (404 when none), sends its InvocationRequest over gRPC and, at the same time, forwards the request itself to the
/// worker's own HTTP endpoint (its <c>HttpUri</c> capability) with <c>x-ms-invocation-id</c>, so the worker pairs the two.
/// The worker's response streams back unchanged; a failed invocation that has not answered yet gives the host's 500.
/// </summary>
internal sealed class HttpFrontDoor(WorkerFunctionsHost host, HttpRouteTable routes, Uri workerHttpUri) : IDisposable
{
    internal const string InvocationIdHeader = "x-ms-invocation-id";

    /// <summary>How long the worker's answer is held for the invocation's outcome once its headers have come.</summary>
    private static readonly TimeSpan OutcomeWait = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", InvocationIdHeader,
    };

    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string path = request.Path.HasValue ? request.Path.Value! : "/";
        if (routes.Find(request.Method, path, context) is not { } match)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        string invocationId = Guid.NewGuid().ToString();
        var (traceParent, traceState) = TraceContextFor(request);
        var trigger = new RpcHttp { Method = request.Method, Url = request.GetEncodedUrl() };
        var metadata = new Dictionary<string, TypedData>(StringComparer.Ordinal);
        foreach (var (name, value) in match.Values)
        {
            string text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            trigger.Params[name] = text;
            metadata[name] = new TypedData { String = text };
        }

        var invocation = host.Invoke(
            match.Function,
            invocationId,
            [new ParameterBinding { Name = match.Function.TriggerBindingName, Data = new TypedData { Http = trigger } }],
            metadata,
            traceParent,
            traceState);

        // The order of the two halves. The real host starts forwarding the request first and then writes the
        // InvocationRequest (GrpcWorkerChannel.SendInvocationRequest); nothing in the protocol tells the host when the
        // worker has taken an invocation up, so no host can wait for that. The worker pairs the halves by invocation id
        // (its DefaultHttpCoordinator): a request that arrives first waits 5 s for the invocation to reach the worker's
        // middleware, an invocation that arrives first waits 15 s for the request. Writing the invocation first, as here,
        // gives the worker's gRPC side the longest head start the protocol allows; a worker whose very first invocation
        // takes longer than that (JIT on a loaded machine) still answers 500, as under the real host, hence the tests'
        // warm-up request (tests/AzureFunctions.Worker.Tests/Support/WorkerApps.cs).
        using var forwarding = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var forwarded = ForwardAsync(context, invocationId, forwarding.Token);
        if (await Task.WhenAny(invocation, forwarded) == forwarded)
        {
            // The worker answers its HTTP request once the function is done (a failed one answers an empty 200), and
            // the invocation's outcome follows at once: hold the answer until it is known. A function still running
            // after its headers went out streams its body, which is then passed on as it comes.
            await Task.WhenAny(invocation, Task.Delay(OutcomeWait, context.RequestAborted));
        }

        if (invocation.IsCompleted && !await Succeeded(invocation))
        {
            // The function failed: the host answers 500 itself, with nothing of the worker's answer.
            await forwarding.CancelAsync();
            await Discard(forwarded);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        HttpResponseMessage upstream;
        try
        {
            upstream = await forwarded;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            await Succeeded(invocation);
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }

            return;
        }

        using (upstream)
        {
            var response = context.Response;
            response.StatusCode = (int)upstream.StatusCode;
            foreach (var header in upstream.Headers.Concat(upstream.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    response.Headers[header.Key] = new StringValues([.. header.Value]);
                }
            }

            await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(response.Body, context.RequestAborted);
        }

        // The outcome (and its logs) is recorded when the worker answers the invocation too.
        await Succeeded(invocation);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, string invocationId, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var target = new Uri(workerHttpUri, request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), target);
        bool hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            forward.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
            else
            {
                forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        forward.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        if (context.Connection.RemoteIpAddress is { } client)
        {
            forward.Headers.TryAddWithoutValidation("X-Forwarded-For", client.ToString());
        }

        return await _http.SendAsync(forward, cancellationToken);
    }

    /// <summary>
    /// The invocation's trace context: a child of the caller's <c>traceparent</c> when it sent a valid one (its
    /// <c>tracestate</c> carried along), a new trace otherwise, as the host's request activity would be.
    /// </summary>
    private static (string TraceParent, string TraceState) TraceContextFor(HttpRequest request)
    {
        string state = request.Headers["tracestate"].ToString();
        if (ActivityContext.TryParse(request.Headers["traceparent"].ToString(), state, out var parent))
        {
            string flags = (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
            return ($"00-{parent.TraceId}-{ActivitySpanId.CreateRandom()}-{flags}", state);
        }

        return ($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00", string.Empty);
    }

    private static async Task<bool> Succeeded(Task<FunctionInvocation> invocation)
    {
        try
        {
            return (await invocation).Succeeded;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task Discard(Task<HttpResponseMessage> forwarded)
    {
        try
        {
            (await forwarded).Dispose();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
        }
    }
}
