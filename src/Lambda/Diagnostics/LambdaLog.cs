using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>The Lambda host's log messages. None carries a header, a cookie or a body.</summary>
internal static partial class LambdaLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving AWS Lambda invocations from the Runtime API at {RuntimeApi}.")]
    public static partial void LoopStarted(ILogger logger, string runtimeApi);

    [LoggerMessage(2, LogLevel.Warning, "Invocation {RequestId} carried an event that is not an HTTP request this host can map: {Reason} It was reported to Lambda as Runtime.InvalidEvent.")]
    public static partial void InvalidEvent(ILogger logger, string requestId, string reason);

    [LoggerMessage(3, LogLevel.Error, "Invocation {RequestId}: an unhandled exception was thrown by the application.")]
    public static partial void UnhandledException(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "Invocation {RequestId}: the application failed after its response had started; the response was discarded and the invocation reported as failed.")]
    public static partial void FailedAfterResponseStarted(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Invocation {RequestId} reached its deadline margin; RequestAborted was cancelled and the request answered 504.")]
    public static partial void DeadlineReached(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(6, LogLevel.Critical, "The Lambda Runtime API cannot be reached or reported a broken environment; the app stops.")]
    public static partial void RuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "Invocation {RequestId}: the Lambda Runtime API refused the response (a response must stay under Lambda's payload limit); the invocation was reported as failed.")]
    public static partial void ResponseRefused(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "Invocation {RequestId}: the response sets {Cookies} cookies, but the load balancer target group does not use multi-value headers, so only one could be sent; the invocation was reported as failed instead. Turn on multi-value headers for the target group (lambda.multi_value_headers.enabled = true).")]
    public static partial void MultiValueHeadersRequired(ILogger logger, string requestId, int cookies);

    [LoggerMessage(9, LogLevel.Error, "Invocation {RequestId}: an OnCompleted callback failed.")]
    public static partial void OnCompletedFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(10, LogLevel.Error, "Invocation {RequestId} could not be processed by the Lambda host.")]
    public static partial void InvocationFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Invocation {RequestId} reached its deadline margin and the app answered 499 (an exception handler took the cancelled RequestAborted for a client that left); it was answered 504.")]
    public static partial void DeadlineAnswered499(ILogger logger, string requestId);

    [LoggerMessage(12, LogLevel.Error, "Invocation {RequestId}: the streamed response could not be completed; the Lambda Runtime API ended it.")]
    public static partial void StreamFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(13, LogLevel.Critical, "The Lambda invocation loop failed unexpectedly; the process exits with a non-zero code so Lambda replaces the execution environment.")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Critical, "SnapStart: a warm-up request or a before-snapshot hook failed; the initialization failed.")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Critical, "SnapStart: an after-restore hook failed; the restore was reported as failed and the process exits.")]
    public static partial void RestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Debug, "GC heap hard limit set to {Limit} bytes from AWS_LAMBDA_FUNCTION_MEMORY_SIZE={MemorySizeMb}; the GC now works within {TotalAvailable} bytes.")]
    public static partial void HeapLimitSet(ILogger logger, long limit, int memorySizeMb, long totalAvailable);

    [LoggerMessage(17, LogLevel.Debug, "GC heap hard limit left as the app configured it ({Setting}); the GC works within {TotalAvailable} bytes.")]
    public static partial void HeapLimitLeftToApp(ILogger logger, string setting, long totalAvailable);

    [LoggerMessage(18, LogLevel.Debug, "GC heap hard limit not set from AWS_LAMBDA_FUNCTION_MEMORY_SIZE ({Reason}); the GC works within {TotalAvailable} bytes.")]
    public static partial void HeapLimitNotSet(ILogger logger, GCHeapLimitOutcome reason, long totalAvailable);

    [LoggerMessage(19, LogLevel.Warning, "The GC heap hard limit could not be set from AWS_LAMBDA_FUNCTION_MEMORY_SIZE; the GC keeps its own limit.")]
    public static partial void HeapLimitFailed(ILogger logger, Exception exception);
}
