namespace SessionsServerless.Lambda;

/// <summary>The Lambda invocation a request came from: what the Runtime API said about it.</summary>
public sealed class LambdaInvocation
{
    private readonly TimeProvider _timeProvider;

    internal LambdaInvocation(string requestId, string? invokedFunctionArn, string? traceId, DateTimeOffset deadline, TimeProvider timeProvider)
    {
        RequestId = requestId;
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
        Deadline = deadline;
        _timeProvider = timeProvider;
    }

    /// <summary>The AWS request id of the invocation (<c>Lambda-Runtime-Aws-Request-Id</c>); also the request's <c>TraceIdentifier</c>.</summary>
    public string RequestId { get; }

    /// <summary>The ARN the function was invoked with (<c>Lambda-Runtime-Invoked-Function-Arn</c>), or <see langword="null"/> when Lambda did not send it.</summary>
    public string? InvokedFunctionArn { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>, also set as the <c>_X_AMZN_TRACE_ID</c> environment variable), or <see langword="null"/>.</summary>
    public string? TraceId { get; }

    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The time left until <see cref="Deadline"/>; zero once it has passed.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _timeProvider.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }
}
