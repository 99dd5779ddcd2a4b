using Microsoft.Extensions.Logging;

namespace SessionsServerless.AzureFunctions.Worker;

/// <summary>Log messages. None of them carries a key, a cookie or a session id.</summary>
internal static partial class WorkerSessionsLog
{
    [LoggerMessage(1, LogLevel.Information, "{Summary}")]
    public static partial void PurgeFinished(ILogger logger, string summary);

    [LoggerMessage(2, LogLevel.Warning, "{Summary}")]
    public static partial void PurgeStoppedAtTimeLimit(ILogger logger, string summary);

    [LoggerMessage(3, LogLevel.Error, "Purging expired sessions from the {Store} store failed; the timer run is recorded as failed.")]
    public static partial void PurgeFailed(ILogger logger, string store, Exception exception);
}
