using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionsServerless.AzureFunctions;

namespace SessionsServerless.AzureFunctions.Worker;

/// <summary>
/// The body of the <c>PurgeExpiredSessions</c> timer function. An app opts into the function with one line in its
/// project file, <c>&lt;SessionsPurgeFunction&gt;true&lt;/SessionsPurgeFunction&gt;</c>, which compiles a
/// <c>[Function("PurgeExpiredSessions")]</c> timer (schedule from the app setting <c>SessionsPurgeSchedule</c>) into the
/// app; that function calls <see cref="RunAsync(FunctionContext, TimerInfo)"/>.
/// </summary>
public static class SessionPurgeFunction
{
    /// <summary>The timer function's name.</summary>
    public const string FunctionName = SessionPurgeRun.FunctionName;

    /// <summary>
    /// The timer's schedule: the app setting <c>SessionsPurgeSchedule</c>, an NCRONTAB expression with six fields, seconds
    /// first (the templates and the sample set <c>0 */5 * * * *</c>, every five minutes).
    /// </summary>
    public const string Schedule = "%SessionsPurgeSchedule%";

    /// <summary>How long one run may delete sessions before it stops and leaves the rest to the next run.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Deletes the configured store's expired sessions (when it implements <see cref="IPurgeableSessionStore"/>; the
    /// cookie store keeps nothing to purge) and logs how many it deleted. A failing store fails the run.
    /// </summary>
    /// <param name="context">The timer invocation.</param>
    /// <param name="timer">The timer's state (unused; taken so the generated function binds it).</param>
    /// <returns>How many sessions were deleted.</returns>
    /// <exception cref="InvalidOperationException">Sessions are not registered.</exception>
    /// <exception cref="SessionStoreException">The store failed.</exception>
    public static async Task<int> RunAsync(FunctionContext context, TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.InstanceServices;
        if (services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(ISessionStore), SessionStoreNames.Memory) != true)
        {
            throw new InvalidOperationException("Sessions are not registered. Call builder.Services.AddSessions(builder.Configuration) in Program.cs; the PurgeExpiredSessions function purges the store it configures.");
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionPurgeFunction).FullName!);
        SessionPurgeRun.Result result;
        try
        {
            result = await SessionPurgeRun.RunAsync(services, TimeLimit, context.CancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException exception)
        {
            WorkerSessionsLog.PurgeFailed(logger, services.GetRequiredService<IOptions<SessionsOptions>>().Value.Store, exception);
            throw;
        }

        if (result.Outcome == SessionPurgeRun.Outcome.StoppedAtTimeLimit)
        {
            WorkerSessionsLog.PurgeStoppedAtTimeLimit(logger, result.Summary);
        }
        else
        {
            WorkerSessionsLog.PurgeFinished(logger, result.Summary);
        }

        return result.Purged;
    }
}
