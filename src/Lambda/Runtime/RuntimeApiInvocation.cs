namespace SessionsServerless.Lambda;

/// <summary>One invocation as <c>GET /runtime/invocation/next</c> delivered it.</summary>
/// <param name="RequestId">The AWS request id.</param>
/// <param name="Event">The event document, as sent.</param>
/// <param name="Deadline">When Lambda stops the invocation.</param>
/// <param name="InvokedFunctionArn">The ARN the function was invoked with.</param>
/// <param name="TraceId">The X-Ray trace header.</param>
internal sealed record RuntimeApiInvocation(string RequestId, byte[] Event, DateTimeOffset Deadline, string? InvokedFunctionArn, string? TraceId);
