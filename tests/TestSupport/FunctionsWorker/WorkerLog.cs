using Microsoft.Extensions.Logging;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>A log line the worker sent to the host over the event stream (an RpcLog message).</summary>
/// <param name="InvocationId">The invocation it was written during, or <see langword="null"/> for the worker's own logs.</param>
/// <param name="Category">The logger category (e.g. <c>Function.Tick.User</c> or a type name).</param>
/// <param name="Level">Its level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="ExceptionMessage">The message of the exception logged with it, if any.</param>
public sealed record WorkerLog(string? InvocationId, string Category, LogLevel Level, string Message, string? ExceptionMessage);
