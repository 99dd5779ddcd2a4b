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

    /// <summary>
    /// The event as Lambda delivered it: the JSON document API Gateway, the Function URL or the load balancer sent, for
    /// what the request does not show (<c>JsonDocument.Parse(invocation.Event)</c>). Empty before the event was read.
    /// </summary>
    public ReadOnlyMemory<byte> Event { get; internal set; }

    /// <summary>The service whose event carried the request.</summary>
    public LambdaEventSource EventSource { get; internal set; }

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>), or <see langword="null"/> outside Lambda.</summary>
    public string? FunctionName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");

    /// <summary>The function version being run (<c>AWS_LAMBDA_FUNCTION_VERSION</c>, <c>$LATEST</c> or a number), or <see langword="null"/>.</summary>
    public string? FunctionVersion { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION");

    /// <summary>The memory the function has, in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), or <see langword="null"/>.</summary>
    public int? MemoryLimitInMB { get; } = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) ? size : null;

    /// <summary>The CloudWatch log group of the function (<c>AWS_LAMBDA_LOG_GROUP_NAME</c>), or <see langword="null"/>.</summary>
    public string? LogGroupName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME");

    /// <summary>The CloudWatch log stream of this execution environment (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>), or <see langword="null"/>.</summary>
    public string? LogStreamName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME");

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
