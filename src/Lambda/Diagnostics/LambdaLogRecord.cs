using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>One log record and the invocation it was written in.</summary>
internal readonly record struct LambdaLogRecord(
    DateTimeOffset Timestamp,
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    Exception? Exception,
    IReadOnlyList<KeyValuePair<string, object?>>? State,
    LambdaLogContext.Entry? Invocation);
