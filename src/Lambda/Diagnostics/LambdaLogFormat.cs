namespace SessionsServerless.Lambda;

/// <summary>The log format Lambda asks for in <c>AWS_LAMBDA_LOG_FORMAT</c>.</summary>
internal enum LambdaLogFormat
{
    /// <summary>One line per record: time, request id, level, category and message, tab-separated.</summary>
    Text,

    /// <summary>One JSON object per record, in the shape Lambda's own runtimes write.</summary>
    Json,
}
