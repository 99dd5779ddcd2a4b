using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// The Lambda Runtime API (2018-06-01) the app talks to: <c>GET invocation/next</c> blocks until a request arrives and
/// hands out its event with the <c>Lambda-Runtime-*</c> headers; <c>POST invocation/{id}/response</c>,
/// <c>invocation/{id}/error</c> and <c>init/error</c> end the invocation. Answers as Lambda does: 202 when accepted, 400
/// for a request id that is not the current invocation, 413 for a response over 6 MB, 500 once the gateway stops. A
/// response posted with <c>Lambda-Runtime-Function-Response-Mode: streaming</c> is relayed as it arrives: its HTTP integration
/// prelude (status, headers, cookies, then eight NUL bytes) becomes the head, the rest the body, and the error trailers
/// end it as a failed stream.
/// </summary>
internal sealed class RuntimeApiHandler
{
    private const string Prefix = "/2018-06-01/runtime/";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";
    private const int PreludeLimit = 64 * 1024;

    private readonly FunctionInvoker _invoker;
    private readonly string _functionArn;
    private readonly EventFormat _format;

    public RuntimeApiHandler(FunctionInvoker invoker, string functionArn, EventFormat format)
    {
        _invoker = invoker;
        _functionArn = functionArn;
        _format = format;
    }

    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string path = request.Path.Value ?? string.Empty;
        string route = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : string.Empty;
        bool isPost = HttpMethods.IsPost(request.Method);
        if (route == "invocation/next" && HttpMethods.IsGet(request.Method))
        {
            return NextAsync(context);
        }

        if (route == "init/error" && isPost)
        {
            return InitErrorAsync(context);
        }

        if (isPost && route.StartsWith("invocation/", StringComparison.Ordinal))
        {
            string rest = route["invocation/".Length..];
            if (rest.EndsWith("/response", StringComparison.Ordinal))
            {
                return ResponseAsync(context, Uri.UnescapeDataString(rest[..^"/response".Length]));
            }

            if (rest.EndsWith("/error", StringComparison.Ordinal))
            {
                return ErrorAsync(context, Uri.UnescapeDataString(rest[..^"/error".Length]));
            }
        }

        return WriteAsync(context, StatusCodes.Status404NotFound, "UnknownResource", $"The Lambda Runtime API (2018-06-01) has no {request.Method} {path}.");
    }

    private async Task NextAsync(HttpContext context)
    {
        Invocation invocation;
        try
        {
            invocation = await _invoker.NextAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // The runtime hung up.
        }
        catch (ChannelClosedException)
        {
            // The gateway is stopping: a container error tells the runtime to exit.
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "ServiceStopping", "The gateway is stopping.");
            return;
        }

        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = _functionArn;
        headers["Lambda-Runtime-Trace-Id"] = TraceId(invocation);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = invocation.Event.Length;
        await context.Response.Body.WriteAsync(invocation.Event, context.RequestAborted);
    }

    private async Task ResponseAsync(HttpContext context, string requestId)
    {
        if (_invoker.Answerable(requestId) is not { } invocation)
        {
            await InvalidRequestIdAsync(context, requestId);
            return;
        }

        if (string.Equals(context.Request.Headers["Lambda-Runtime-Function-Response-Mode"], "streaming", StringComparison.OrdinalIgnoreCase))
        {
            await StreamAsync(context, invocation);
            return;
        }

        if (await BodyReader.ReadAsync(context.Request, GatewayOptions.PayloadLimit, context.RequestAborted) is not { } payload)
        {
            // As Lambda: the runtime is told, and the invocation ends when it reports the failure (or times out).
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"The response exceeds Lambda's limit of {GatewayOptions.PayloadLimit} bytes.");
            return;
        }

        invocation.TryEnd(new InvocationOutcome(OutcomeKind.Response, Response: payload));
        await AcceptedAsync(context);
    }

    private async Task StreamAsync(HttpContext context, Invocation invocation)
    {
        // A stream may trickle (a few events a minute) and run long; Lambda allows both.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        var request = context.Request;
        var body = request.Body;
        byte[] buffer = new byte[16 * 1024];
        byte[] rest;
        FunctionResponse head;
        if (request.ContentType?.StartsWith(HttpIntegrationContentType, StringComparison.OrdinalIgnoreCase) == true)
        {
            // The prelude: everything up to the eight NUL bytes.
            using var prelude = new MemoryStream();
            int delimiter;
            while ((delimiter = prelude.GetBuffer().AsSpan(0, (int)prelude.Length).IndexOf(new byte[8])) < 0)
            {
                int read = await body.ReadAsync(buffer, context.RequestAborted);
                if (read == 0 || prelude.Length + read > PreludeLimit)
                {
                    invocation.TryEnd(new InvocationOutcome(OutcomeKind.InvalidStreamedResponse, Detail: $"its streamed response has no prelude ended by eight NUL bytes within the first {PreludeLimit} bytes."));
                    await AcceptedAsync(context);
                    return;
                }

                prelude.Write(buffer, 0, read);
            }

            byte[] bytes = prelude.ToArray();
            rest = bytes[(delimiter + 8)..];
            try
            {
                head = FunctionResponse.Read(bytes[..delimiter], _format);
            }
            catch (FunctionResponseException exception)
            {
                invocation.TryEnd(new InvocationOutcome(OutcomeKind.InvalidStreamedResponse, Detail: "its streamed prelude is not valid: " + exception.Message));
                await AcceptedAsync(context);
                return;
            }
        }
        else
        {
            // No prelude: a 200 whose body is the whole stream.
            rest = [];
            head = FunctionResponse.Read("{\"statusCode\":200}"u8.ToArray(), _format);
        }

        var pipe = new Pipe();
        invocation.TryEnd(new InvocationOutcome(OutcomeKind.StreamedResponse, Stream: new StreamedResponse(head, pipe.Reader)));
        bool relaying = await RelayAsync(pipe.Writer, rest);
        int count;
        while ((count = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            relaying = relaying && await RelayAsync(pipe.Writer, buffer.AsMemory(0, count));
        }

        string? errorType = request.SupportsTrailers() && request.CheckTrailersAvailable() ? request.GetTrailer(ErrorTypeHeader).ToString() : null;
        await pipe.Writer.CompleteAsync(string.IsNullOrEmpty(errorType) ? null : new FunctionResponseException($"The function failed mid-stream ({errorType})."));
        await AcceptedAsync(context);
    }

    // False once the browser side stopped reading (the client left): the rest is read and dropped.
    private static async Task<bool> RelayAsync(PipeWriter writer, ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        var result = await writer.WriteAsync(data);
        return !result.IsCompleted;
    }

    private async Task ErrorAsync(HttpContext context, string requestId)
    {
        if (_invoker.Answerable(requestId) is not { } invocation)
        {
            await InvalidRequestIdAsync(context, requestId);
            return;
        }

        var error = await ReadErrorAsync(context);
        invocation.TryEnd(new InvocationOutcome(OutcomeKind.FunctionError, Error: error));
        await AcceptedAsync(context);
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        _invoker.InitFailed(await ReadErrorAsync(context));
        await AcceptedAsync(context);
    }

    private static async Task<FunctionError> ReadErrorAsync(HttpContext context)
    {
        byte[] body = await BodyReader.ReadAsync(context.Request, GatewayOptions.PayloadLimit, context.RequestAborted) ?? [];
        return FunctionError.Read(body, context.Request.Headers[ErrorTypeHeader].ToString());
    }

    private static Task InvalidRequestIdAsync(HttpContext context, string requestId) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID", $"Invocation {requestId} is not waiting for an answer (it ended, or it was never handed out).");

    private static Task AcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":\"OK\"}");
    }

    private static async Task WriteAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        byte[] body = EventJson.Document(256, json =>
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", message);
            json.WriteString("errorType", errorType);
            json.WriteEndObject();
        });
        await context.Response.Body.WriteAsync(body);
    }

    // An X-Ray trace header of the documented shape (Root=1-{epoch seconds, hex}-{96 random bits, hex}), not sampled.
    private static string TraceId(Invocation invocation)
    {
        string epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        string random = invocation.RequestId.Replace("-", string.Empty, StringComparison.Ordinal)[..24];
        return $"Root=1-{epoch}-{random};Parent={random[..16]};Sampled=0";
    }
}
