using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>
/// Serves one invocation: maps the event to a request, runs it through the app's pipeline, and posts the response (or the
/// error) to the Runtime API. Whatever one invocation does, the next one is served.
/// </summary>
internal sealed class InvocationProcessor
{
    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private readonly RuntimeApiClient _client;
    private readonly LambdaHostingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly bool _setTraceIdVariable;

    // setTraceIdVariable: whether to set _X_AMZN_TRACE_ID for each invocation; only when one invocation runs at a time, since
    // the variable belongs to the whole process.
    public InvocationProcessor(RuntimeApiClient client, LambdaHostingOptions options, TimeProvider timeProvider, ILogger logger, bool setTraceIdVariable = true)
    {
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _setTraceIdVariable = setTraceIdVariable;
    }

    /// <summary>
    /// Runs a GET of <paramref name="pathAndQuery"/> through the app as an HTTP API event would, outside any invocation (the
    /// SnapStart warm-up before the snapshot); the response is discarded.
    /// </summary>
    public async Task WarmUpAsync<TContext>(IHttpApplication<TContext> application, string pathAndQuery)
        where TContext : notnull
    {
        int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "2.0");
            json.WriteString("routeKey", "$default");
            json.WriteString("rawPath", path);
            json.WriteString("rawQueryString", query < 0 ? string.Empty : pathAndQuery[(query + 1)..]);
            json.WriteStartObject("headers");
            json.WriteString("host", "localhost");
            json.WriteString("x-forwarded-proto", "https");
            json.WriteString("user-agent", "SessionsServerless.Lambda SnapStart warm-up");
            json.WriteEndObject();
            json.WriteStartObject("requestContext");
            json.WriteString("domainName", "localhost");
            json.WriteString("requestId", "snapstart-warm-up");
            json.WriteString("stage", "$default");
            json.WriteStartObject("http");
            json.WriteString("method", "GET");
            json.WriteString("path", path);
            json.WriteString("protocol", "HTTP/1.1");
            json.WriteString("sourceIp", "127.0.0.1");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteBoolean("isBase64Encoded", false);
            json.WriteEndObject();
        }

        var request = LambdaEventReader.Read(buffer.ToArray());
        using var lifetime = new LambdaRequestLifetimeFeature(DateTimeOffset.MaxValue, _options.DeadlineMargin, _timeProvider);
        using var response = new LambdaResponseFeature();
        var details = new LambdaInvocation("snapstart-warm-up", null, null, DateTimeOffset.MaxValue, _timeProvider);
        var context = application.CreateContext(CreateFeatures(request, response, lifetime, details));
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            await response.FireOnCompletedAsync().ConfigureAwait(false);
            application.DisposeContext(context, failure);
        }
    }

    public async Task ProcessAsync<TContext>(IHttpApplication<TContext> application, RuntimeApiInvocation invocation, CancellationToken stopping)
        where TContext : notnull
    {
        string requestId = invocation.RequestId;
        using var logContext = LambdaLogContext.Begin(requestId, invocation.TraceId);
        if (_setTraceIdVariable)
        {
            Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        }

        LambdaRequest request;
        try
        {
            request = LambdaEventReader.Read(invocation.Event, _options.PathBase.Value);
        }
        catch (LambdaEventException exception)
        {
            LambdaLog.InvalidEvent(_logger, requestId, exception.Message);
            await _client.PostErrorAsync(requestId, LambdaError.InvalidEvent(exception.Message), stopping).ConfigureAwait(false);
            return;
        }

        using var lifetime = new LambdaRequestLifetimeFeature(invocation.Deadline, _options.DeadlineMargin, _timeProvider);
        FeatureCollection? features = null;
        using var response = new LambdaResponseFeature((status, headers) => OpenStreamAsync(request, features!, lifetime, requestId, status, headers, stopping));
        var details = new LambdaInvocation(requestId, invocation.InvokedFunctionArn, invocation.TraceId, invocation.Deadline, _timeProvider);
        features = CreateFeatures(request, response, lifetime, details);
        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        try
        {
            if (response.Streaming is { } streaming)
            {
                await using (streaming.ConfigureAwait(false))
                {
                    await EndStreamAsync(streaming, failure, requestId, stopping).ConfigureAwait(false);
                }
            }
            else
            {
                await AnswerAsync(request, response, lifetime, failure, requestId, stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            if (await response.FireOnCompletedAsync().ConfigureAwait(false) is { } completedFailure)
            {
                LambdaLog.OnCompletedFailed(_logger, requestId, completedFailure);
            }

            application.DisposeContext(context, failure);
        }
    }

    /// <summary>
    /// Opens the streamed response once the response starts (the OnStarting callbacks ran, so the session's cookie is among
    /// the headers) when streaming is on for all responses or for the endpoint, and the event source can take a stream.
    /// </summary>
    private async Task<StreamingResponseConnection?> OpenStreamAsync(
        LambdaRequest request,
        FeatureCollection features,
        LambdaRequestLifetimeFeature lifetime,
        string requestId,
        int statusCode,
        IHeaderDictionary headers,
        CancellationToken stopping)
    {
        // Past the deadline margin the answer is a 504, which goes buffered.
        if (lifetime.IsAborted || !StreamingPrelude.CanStream(request.Shape))
        {
            return null;
        }

        bool wanted = _options.ResponseStreaming
            || features.Get<IEndpointFeature>()?.Endpoint?.Metadata.GetMetadata<LambdaResponseStreamingMetadata>() is not null;
        if (!wanted)
        {
            return null;
        }

        var connection = await StreamingResponseConnection.OpenAsync(_client.BaseAddress, requestId, StreamingResponseConnection.HttpIntegrationContentType, stopping).ConfigureAwait(false);
        try
        {
            await connection.WriteAsync(StreamingPrelude.Write(request.Shape, statusCode, headers), stopping).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EndStreamAsync(StreamingResponseConnection streaming, Exception? failure, string requestId, CancellationToken stopping)
    {
        try
        {
            if (failure is null)
            {
                await streaming.CompleteAsync(stopping).ConfigureAwait(false);
                return;
            }

            // Kestrel would abort the connection; the Runtime API's equivalent is the error trailers, so Lambda ends the
            // stream and reports the invocation as failed.
            LambdaLog.FailedAfterResponseStarted(_logger, requestId, failure);
            var error = new LambdaError("Runtime.StreamError", $"The application failed after its streamed response had started ({failure.GetType().Name}).", []);
            await streaming.FailAsync(error, stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or (RuntimeApiException { IsContainerError: false }))
        {
            // The Runtime API ended the stream (a response over Lambda's streaming limit, say); the invocation is over.
            LambdaLog.StreamFailed(_logger, requestId, exception);
        }
    }

    private async Task AnswerAsync(
        LambdaRequest request,
        LambdaResponseFeature response,
        LambdaRequestLifetimeFeature lifetime,
        Exception? failure,
        string requestId,
        CancellationToken stopping)
    {
        if (failure is null && lifetime.IsAborted && response.StatusCode == StatusCodes.Status499ClientClosedRequest)
        {
            // UseExceptionHandler answers 499 to an OperationCanceledException once RequestAborted fired, taking the
            // deadline for a client that left. On Lambda nobody left: the documented answer to a deadline is 504.
            LambdaLog.DeadlineAnswered499(_logger, requestId);
            response.ResetTo(StatusCodes.Status504GatewayTimeout);
        }

        if (failure is not null)
        {
            if (response.HasStarted)
            {
                // Kestrel would abort the connection here; the Lambda equivalent is a failed invocation (a 502 at the gateway).
                LambdaLog.FailedAfterResponseStarted(_logger, requestId, failure);
                var error = new LambdaError("Runtime.ResponseAborted", "The application failed after its response had started; the response was discarded.", []);
                await _client.PostErrorAsync(requestId, error, stopping).ConfigureAwait(false);
                return;
            }

            if (lifetime.IsAborted)
            {
                LambdaLog.DeadlineReached(_logger, requestId, failure);
                response.ResetTo(StatusCodes.Status504GatewayTimeout);
            }
            else
            {
                LambdaLog.UnhandledException(_logger, requestId, failure);
                response.ResetTo(StatusCodes.Status500InternalServerError);
            }
        }

        byte[] payload = LambdaResponseWriter.Write(request.Shape, response.StatusCode, response.Headers, response.Buffered, out int droppedSetCookies);
        if (droppedSetCookies > 0)
        {
            // One cookie would silently go missing (a login that does not stick): fail loudly instead, with the fix.
            LambdaLog.MultiValueHeadersRequired(_logger, requestId, droppedSetCookies + 1);
            await _client.PostErrorAsync(requestId, LambdaError.MultiValueHeadersRequired(droppedSetCookies + 1), stopping).ConfigureAwait(false);
            return;
        }

        try
        {
            await _client.PostResponseAsync(requestId, payload, stopping).ConfigureAwait(false);
        }
        catch (RuntimeApiException refused) when (!refused.IsContainerError)
        {
            LambdaLog.ResponseRefused(_logger, requestId, refused);
            var error = new LambdaError("Runtime.ResponseRefused", $"The Lambda Runtime API refused the response with status {(int)refused.Status}; the response ({payload.Length} bytes) may exceed Lambda's payload limit.", []);
            await _client.PostErrorAsync(requestId, error, stopping).ConfigureAwait(false);
        }
    }

    internal static FeatureCollection CreateFeatures(LambdaRequest request, LambdaResponseFeature response, LambdaRequestLifetimeFeature lifetime, LambdaInvocation invocation)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = request.Protocol,
            Scheme = request.Scheme,
            Method = request.Method,
            PathBase = request.PathBase,
            Path = request.Path,
            QueryString = request.QueryString,
            RawTarget = request.RawTarget,
            Headers = request.Headers,
            Body = new MemoryStream(request.Body, writable: false),
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpBodyControlFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(lifetime);
        features.Set<IHttpRequestBodyDetectionFeature>(new RequestBodyDetectionFeature(request.Body.Length > 0));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = invocation.RequestId,
            RemoteIpAddress = request.RemoteIpAddress,
            LocalPort = request.LocalPort,
        });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = invocation.RequestId });
        features.Set(invocation);
        LambdaRequestFeatures.Add(features, request, response, invocation);
        return features;
    }
}
