namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>One invocation the local host sent to the worker, and how it ended.</summary>
/// <param name="FunctionName">The function invoked.</param>
/// <param name="InvocationId">The invocation id (for HTTP, also the <c>x-ms-invocation-id</c> header the worker got).</param>
/// <param name="TraceParent">The W3C traceparent sent in the invocation's RpcTraceContext.</param>
/// <param name="TraceState">The tracestate sent with it (empty when the caller sent none).</param>
/// <param name="Succeeded">Whether the worker answered with status Success.</param>
/// <param name="ExceptionMessage">The worker's exception message when it failed.</param>
/// <param name="Logs">What the worker logged for this invocation (RpcLog messages and the response's logs).</param>
public sealed record FunctionInvocation(
    string FunctionName,
    string InvocationId,
    string TraceParent,
    string TraceState,
    bool Succeeded,
    string? ExceptionMessage,
    IReadOnlyList<WorkerLog> Logs);
