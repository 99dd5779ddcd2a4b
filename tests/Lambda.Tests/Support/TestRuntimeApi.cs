using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>
/// A Lambda Runtime API (2018-06-01) on a loopback port, speaking to the runtime as Lambda does: <c>GET next</c> blocks
/// until the test invokes, then hands out the event with the Lambda-Runtime-* headers; the runtime's
/// <c>response</c>, <c>error</c> and <c>init/error</c> posts are collected for the test to check.
/// </summary>
internal sealed class TestRuntimeApi : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly Channel<QueuedInvocation> _queue = Channel.CreateUnbounded<QueuedInvocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResult>> _results = new();
    private readonly TaskCompletionSource<InvocationResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _restoreRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationResult> _restoreError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private TestRuntimeApi(WebApplication app)
    {
        _app = app;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address).Authority;
    }

    /// <summary>The <c>host:port</c> to put in <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    public static async Task<TestRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestRuntimeApi? api = null;
        app.MapGet("/2018-06-01/runtime/invocation/next", (HttpContext context) => api!.NextAsync(context));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpContext context) => api!.CompleteAsync(id, context, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpContext context) => api!.CompleteAsync(id, context, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", (Func<HttpContext, Task<IResult>>)(context => api!.InitErrorAsync(context)));
        app.MapGet("/2018-06-01/runtime/restore/next", async (HttpContext context) =>
        {
            // SnapStart: the snapshot is taken now; the call returns when the test restores the environment.
            api!._restoreRequested.TrySetResult();
            await api._restored.Task.WaitAsync(context.RequestAborted);
            return Results.Ok();
        });
        app.MapPost("/2018-06-01/runtime/restore/error", async (HttpContext context) =>
        {
            api!._restoreError.TrySetResult(await ReadAsync(context, isError: true));
            return Accepted();
        });
        await app.StartAsync();
        api = new TestRuntimeApi(app);
        return api;
    }

    /// <summary>Invokes the function with an event and waits for what the runtime posts back.</summary>
    public Task<InvocationResult> InvokeAsync(JsonNode @event, DateTimeOffset? deadline = null, string? functionArn = null, string? traceId = null) =>
        InvokeAsync(Encoding.UTF8.GetBytes(@event.ToJsonString()), deadline, functionArn, traceId);

    /// <summary>Invokes the function with raw event bytes (which need not be JSON).</summary>
    public Task<InvocationResult> InvokeAsync(byte[] @event, DateTimeOffset? deadline = null, string? functionArn = null, string? traceId = null) =>
        Enqueue(@event, deadline, functionArn, traceId, deadlineHeader: null);

    /// <summary>Hands out an invocation whose <c>Lambda-Runtime-Deadline-Ms</c> header is <paramref name="deadlineHeader"/>, as sent.</summary>
    public Task<InvocationResult> InvokeWithDeadlineHeaderAsync(JsonNode @event, string deadlineHeader) =>
        Enqueue(Encoding.UTF8.GetBytes(@event.ToJsonString()), null, null, null, deadlineHeader);

    private Task<InvocationResult> Enqueue(byte[] @event, DateTimeOffset? deadline, string? functionArn, string? traceId, string? deadlineHeader)
    {
        string id = "req-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var result = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _results[id] = result;
        var invocation = new QueuedInvocation(
            id,
            @event,
            deadline ?? DateTimeOffset.UtcNow.AddMinutes(5),
            functionArn ?? "arn:aws:lambda:us-east-1:123456789012:function:login-demo",
            traceId ?? "Root=1-5f84c7a9-0b3c5c6a1e0f4b7d8e9a0b1c;Parent=3a2b1c0d9e8f7a6b;Sampled=1",
            deadlineHeader);
        _queue.Writer.TryWrite(invocation);
        return result.Task.WaitAsync(Patience);
    }

    /// <summary>Completes when the runtime called <c>GET /runtime/restore/next</c> (it is ready for the snapshot).</summary>
    public Task RestoreRequested => _restoreRequested.Task.WaitAsync(Patience);

    /// <summary>Restores the environment from the snapshot: <c>/runtime/restore/next</c> answers.</summary>
    public void Restore() => _restored.TrySetResult();

    /// <summary>What the runtime posted to <c>/runtime/restore/error</c>.</summary>
    public Task<InvocationResult> RestoreError => _restoreError.Task.WaitAsync(Patience);

    /// <summary>What the runtime posted to <c>/runtime/init/error</c>.</summary>
    public Task<InvocationResult> InitError => _initError.Task.WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        QueuedInvocation invocation;
        try
        {
            invocation = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.Id;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.DeadlineHeader ?? invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(invocation.Event);
    }

    private async Task<IResult> CompleteAsync(string id, HttpContext context, bool isError)
    {
        if (!_results.TryRemove(id, out var result))
        {
            return Results.Json(new JsonObject { ["errorMessage"] = "Invalid request ID", ["errorType"] = "InvalidRequestID" }, statusCode: 400);
        }

        bool streamed = !isError && context.Request.Headers["Lambda-Runtime-Function-Response-Mode"] == "streaming";
        result.TrySetResult(streamed ? await ReadStreamAsync(context) : await ReadAsync(context, isError));
        return Accepted();
    }

    // A streamed response, read as Lambda reads it: each chunk with the time it arrived, the prelude up to the eight NUL
    // bytes, then the body, and the error trailers at the end.
    private static async Task<InvocationResult> ReadStreamAsync(HttpContext context)
    {
        var chunks = new List<StreamedChunk>();
        var all = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            chunks.Add(new StreamedChunk(DateTimeOffset.UtcNow, buffer[..read]));
            all.Write(buffer, 0, read);
        }

        string? Trailer(string name) =>
            context.Request.SupportsTrailers() && context.Request.CheckTrailersAvailable() && context.Request.GetTrailer(name).ToString() is { Length: > 0 } value ? value : null;

        byte[] bytes = all.ToArray();
        int delimiter = bytes.AsSpan().IndexOf(new byte[8]);
        bool hasPrelude = context.Request.ContentType == "application/vnd.awslambda.http-integration-response" && delimiter >= 0;
        var prelude = hasPrelude ? JsonNode.Parse(bytes.AsSpan(0, delimiter))!.AsObject() : new JsonObject();
        return new InvocationResult(false, null, context.Request.ContentType, prelude)
        {
            Stream = new StreamedResponse(
                hasPrelude ? bytes[(delimiter + 8)..] : bytes,
                chunks,
                Trailer("Lambda-Runtime-Function-Error-Type"),
                Trailer("Lambda-Runtime-Function-Error-Body") is { } body ? Encoding.UTF8.GetString(Convert.FromBase64String(body)) : null),
        };
    }

    private async Task<IResult> InitErrorAsync(HttpContext context)
    {
        _initError.TrySetResult(await ReadAsync(context, isError: true));
        return Accepted();
    }

    private static async Task<InvocationResult> ReadAsync(HttpContext context, bool isError)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        return new InvocationResult(
            isError,
            context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() is { Length: > 0 } type ? type : null,
            context.Request.ContentType,
            JsonNode.Parse(body)!.AsObject());
    }

    private static IResult Accepted() => Results.Json(new JsonObject { ["status"] = "OK" }, statusCode: StatusCodes.Status202Accepted);

    private sealed record QueuedInvocation(string Id, byte[] Event, DateTimeOffset Deadline, string FunctionArn, string TraceId, string? DeadlineHeader);
}
