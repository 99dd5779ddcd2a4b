using Microsoft.Extensions.Logging;

namespace SessionsServerless.AzureFunctions;

/// <summary>Log messages. None of them carries a key, a cookie or a session id.</summary>
internal static partial class AzureFunctionsLog
{
    [LoggerMessage(1, LogLevel.Information, "{Summary}")]
    public static partial void PurgeFinished(ILogger logger, string summary);

    [LoggerMessage(2, LogLevel.Warning, "{Summary}")]
    public static partial void PurgeStoppedAtTimeLimit(ILogger logger, string summary);

    [LoggerMessage(3, LogLevel.Error, "Purging expired sessions from the {Store} store failed; the invocation was answered with 500.")]
    public static partial void PurgeFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "A request to the purge function did not come from the Functions host; answered 404.")]
    public static partial void PurgeRequestNotFromHost(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "A purge invocation payload was rejected: {Problem}")]
    public static partial void PurgePayloadRejected(ILogger logger, string problem);
}
