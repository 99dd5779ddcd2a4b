using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IsolatedWorkerApp;

/// <summary>A timer function that logs what the timer binding gave it and the app setting TickMessage; it fails when the timer is past due.</summary>
public sealed partial class TickFunction(ILogger<TickFunction> logger)
{
    [Function("Tick")]
    public void Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer)
    {
        LogTick(logger, timer.IsPastDue, Environment.GetEnvironmentVariable("TickMessage") ?? "no message");
        if (timer.IsPastDue)
        {
            throw new InvalidOperationException("The tick was past due.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick ran (past due: {IsPastDue}): {Message}")]
    private static partial void LogTick(ILogger logger, bool isPastDue, string message);
}
