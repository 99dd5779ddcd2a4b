using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// The HTTP side: turns a request into an event, invokes the function, and answers with the function's response, or with
/// what went wrong (502 for a function error, an exited app or a malformed response; 504 for a timeout; 413 for an event
/// over Lambda's 6 MB).
/// </summary>
internal sealed class GatewayRequestHandler
{
    private readonly GatewayOptions _options;
    private readonly FunctionInvoker _invoker;
    private readonly Func<string> _runtimeApi;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public GatewayRequestHandler(GatewayOptions options, FunctionInvoker invoker, Func<string> runtimeApi, TimeProvider time, ILogger logger)
    {
        _options = options;
        _invoker = invoker;
        _runtimeApi = runtimeApi;
        _time = time;
        _logger = logger;
    }

    private string FormatName => _options.EventFormat == EventFormat.HttpApi ? "HTTP API payload 2.0" : "the REST API format";

    public async Task HandleAsync(HttpContext context)
    {
        long started = _time.GetTimestamp();
        var request = context.Request;
        byte[]? body = await BodyReader.ReadAsync(request, GatewayOptions.PayloadLimit, context.RequestAborted);
        byte[]? @event = body is null ? null : Event(GatewayRequest.From(context, body, _time.GetUtcNow()));
        if (@event is null || @event.Length > GatewayOptions.PayloadLimit)
        {
            await FailAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request's event exceeds Lambda's limit of {GatewayOptions.PayloadLimit} bytes.");
            return;
        }

        InvocationOutcome outcome;
        try
        {
            outcome = await _invoker.InvokeAsync(@event, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client left while an earlier request was running.
        }
        catch (ObjectDisposedException)
        {
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, "The gateway is stopping.");
            return;
        }

        if (outcome.Kind == OutcomeKind.Response)
        {
            await RespondAsync(context, outcome.Response!, started);
            return;
        }

        if (outcome.Kind == OutcomeKind.StreamedResponse)
        {
            await RelayAsync(context, outcome.Stream!, started);
            return;
        }

        var (status, message) = Describe(outcome);
        await FailAsync(context, status, message, outcome.Error);
    }

    private byte[] Event(GatewayRequest request) =>
        _options.EventFormat == EventFormat.HttpApi ? HttpApiEventWriter.Write(request) : RestApiEventWriter.Write(request);

    private (int Status, string Message) Describe(InvocationOutcome outcome)
    {
        bool ownsApp = _options.Command is not null;
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return outcome.Kind switch
        {
            OutcomeKind.FunctionError =>
                (StatusCodes.Status502BadGateway, $"The function reported an error ({outcome.Error!.ErrorType}): {outcome.Error.ErrorMessage}"),
            OutcomeKind.InitError =>
                (StatusCodes.Status502BadGateway, $"The app failed to start ({outcome.Error!.ErrorType}): {outcome.Error.ErrorMessage} The next request starts it again."),
            OutcomeKind.AppExited =>
                (StatusCodes.Status502BadGateway, $"The app exited (exit code {outcome.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) before it answered. Its output is in the gateway's console; the next request starts it again."),
            OutcomeKind.StartFailed =>
                (StatusCodes.Status502BadGateway, outcome.Detail!),
            OutcomeKind.InvalidStreamedResponse =>
                (StatusCodes.Status502BadGateway, "The function's response is not valid: " + outcome.Detail),
            OutcomeKind.TimedOut when ownsApp =>
                (StatusCodes.Status504GatewayTimeout, $"The function did not answer within {Seconds(_options.Timeout)} s (--timeout). The app was stopped; the next request starts it again."),
            OutcomeKind.TimedOut =>
                (StatusCodes.Status504GatewayTimeout, $"The function did not answer within {Seconds(_options.Timeout)} s (--timeout)."),
            OutcomeKind.NotPickedUp when ownsApp =>
                (StatusCodes.Status504GatewayTimeout, $"The app did not ask for an invocation within {Seconds(_options.InitTimeout)} s of starting (--init-timeout), so it was stopped. Does it call builder.Services.AddLambdaHosting()? The next request starts it again."),
            _ =>
                (StatusCodes.Status504GatewayTimeout, $"No app asked for this request within {Seconds(_options.InitTimeout)} s (--init-timeout). Start your app with AWS_LAMBDA_RUNTIME_API={_runtimeApi()}."),
        };
    }

    private async Task RespondAsync(HttpContext context, byte[] payload, long started)
    {
        FunctionResponse response;
        try
        {
            response = FunctionResponse.Read(payload, _options.EventFormat);
        }
        catch (FunctionResponseException exception)
        {
            await FailAsync(context, StatusCodes.Status502BadGateway, $"The function's response is not valid in {FormatName}: {exception.Message}");
            return;
        }

        if (response.IgnoredFields.Count > 0)
        {
            GatewayLog.FieldsIgnored(_logger, string.Join(", ", response.IgnoredFields), FormatName);
        }

        var http = context.Response;
        http.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            if (!IsManagedByServer(name))
            {
                http.Headers.Append(name, value);
            }
        }

        bool hasBody = !HttpMethods.IsHead(context.Request.Method) && response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified);
        if (hasBody)
        {
            http.ContentLength = response.Body.Length;
            await http.Body.WriteAsync(response.Body, context.RequestAborted);
        }

        GatewayLog.Answered(_logger, context.Request.Method, context.Request.Path.Value ?? "/", response.StatusCode, (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    // A streamed response: the head goes at once, then each piece of the body as it arrives. A stream the function ended
    // with an error is cut off, as Lambda cuts it off.
    private async Task RelayAsync(HttpContext context, StreamedResponse stream, long started)
    {
        var http = context.Response;
        var reader = stream.Body;
        bool hasBody = !HttpMethods.IsHead(context.Request.Method) && stream.Head.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified);
        try
        {
            http.StatusCode = stream.Head.StatusCode;
            foreach (var (name, value) in stream.Head.Headers)
            {
                if (!IsManagedByServer(name))
                {
                    http.Headers.Append(name, value);
                }
            }

            await http.StartAsync(context.RequestAborted);
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                if (hasBody)
                {
                    foreach (var segment in result.Buffer)
                    {
                        await http.Body.WriteAsync(segment, context.RequestAborted);
                    }

                    await http.Body.FlushAsync(context.RequestAborted);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            GatewayLog.Answered(_logger, context.Request.Method, context.Request.Path.Value ?? "/", stream.Head.StatusCode, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (FunctionResponseException exception)
        {
            GatewayLog.Failed(_logger, context.Request.Method, context.Request.Path.Value ?? "/", stream.Head.StatusCode, exception.Message + " The stream was cut off.");
            context.Abort();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client left; the function's remaining output is dropped.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task FailAsync(HttpContext context, int status, string message, FunctionError? error = null)
    {
        GatewayLog.Failed(_logger, context.Request.Method, context.Request.Path.Value ?? "/", status, message);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        byte[] body = EventJson.Document(512, json =>
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            if (error is not null)
            {
                json.WriteString("errorType", error.ErrorType);
                json.WriteString("errorMessage", error.ErrorMessage);
                EventJson.WriteStrings(json, "stackTrace", error.StackTrace);
            }

            json.WriteEndObject();
        });
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    // Kestrel frames the response itself.
    private static bool IsManagedByServer(string name) =>
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase);
}
