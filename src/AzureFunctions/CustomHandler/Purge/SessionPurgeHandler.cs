using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Answers the <c>PurgeExpiredSessions</c> timer invocation: the Functions host posts the invocation payload
/// (<c>Data</c>, <c>Metadata</c>) to <c>/PurgeExpiredSessions</c>; the configured store's expired sessions are deleted
/// and the answer is the custom-handler response payload (<c>Outputs</c>, <c>Logs</c>, <c>ReturnValue</c>).
/// </summary>
internal static class SessionPurgeHandler
{
    /// <summary>The timer function's name, which is also the path the host posts to.</summary>
    public const string FunctionName = SessionPurgeRun.FunctionName;

    internal const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionPurgeHandler).FullName!);
        if (!IsDirectHostInvocation(context.Request))
        {
            // Forwarded public requests reach every path, this one included: to them the function does not exist.
            AzureFunctionsLog.PurgeRequestNotFromHost(logger);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (await ReadPayloadProblemAsync(context.Request, context.RequestAborted).ConfigureAwait(false) is { } problem)
        {
            AzureFunctionsLog.PurgePayloadRejected(logger, problem);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(problem, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var timeLimit = services.GetRequiredService<IOptions<AzureFunctionsHostingOptions>>().Value.PurgeTimeLimit;
        SessionPurgeRun.Result result;
        try
        {
            result = await SessionPurgeRun.RunAsync(services, timeLimit, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreException exception)
        {
            // A failed invocation (non-2xx) is what the host records as a failed timer run.
            AzureFunctionsLog.PurgeFailed(logger, services.GetRequiredService<IOptions<SessionsOptions>>().Value.Store, exception);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("Purging expired sessions failed: " + exception.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (result.Outcome == SessionPurgeRun.Outcome.StoppedAtTimeLimit)
        {
            AzureFunctionsLog.PurgeStoppedAtTimeLimit(logger, result.Summary);
        }
        else
        {
            AzureFunctionsLog.PurgeFinished(logger, result.Summary);
        }

        await WriteResultAsync(context, result.Purged, result.Summary).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the request is the host's own invocation rather than a public request the host forwarded. The host
    /// addresses invocations to <c>http://127.0.0.1:{port}/{function}</c>, so their Host header is a loopback address and
    /// no front end has added X-Forwarded-For; forwarded requests keep the public Host header and, in Azure, carry the
    /// client's address in X-Forwarded-For (consumed into X-Original-For by the forwarded-headers middleware).
    /// </summary>
    internal static bool IsDirectHostInvocation(HttpRequest request)
    {
        if (request.HttpContext.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return false;
        }

        var headers = request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || StringValues.IsNullOrEmpty(headers[InvocationIdHeader]))
        {
            return false;
        }

        string host = request.Host.Host;
        return IPAddress.TryParse(host.AsSpan().Trim("[]"), out var hostAddress) && IPAddress.IsLoopback(hostAddress);
    }

    /// <summary>Checks the invocation payload: a JSON object whose <c>Data</c> is an object (and <c>Metadata</c>, if present).</summary>
    private static async Task<string?> ReadPayloadProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const string Expected = "Expected the Azure Functions custom-handler invocation payload: a JSON object with a 'Data' object and a 'Metadata' object.";
        JsonDocument payload;
        try
        {
            payload = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return "The body is not JSON. " + Expected;
        }

        using (payload)
        {
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return Expected;
            }

            if (root.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return Expected;
            }
        }

        return null;
    }

    private static Task WriteResultAsync(HttpContext context, int purged, string summary)
    {
        var result = new CustomHandlerInvocationResult(
            new Dictionary<string, int>(StringComparer.Ordinal) { ["purged"] = purged },
            [summary],
            summary);
        context.Response.StatusCode = StatusCodes.Status200OK;
        return context.Response.WriteAsJsonAsync(result, CustomHandlerJsonContext.Default.CustomHandlerInvocationResult, cancellationToken: context.RequestAborted);
    }
}
