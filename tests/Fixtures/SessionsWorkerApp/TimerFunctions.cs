using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SessionsWorkerApp;

/// <summary>A timer that is not the purge: the session middleware must leave it alone.</summary>
public sealed partial class TimerFunctions(ILogger<TimerFunctions> logger)
{
    /// <summary>Logs whether it saw an HTTP context (it must not).</summary>
    [Function("Tick")]
    public void Tick([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer, FunctionContext context)
    {
        LogTick(logger, context.GetHttpContext() is not null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick ran; HTTP context: {HasHttpContext}")]
    private static partial void LogTick(ILogger logger, bool hasHttpContext);
}
