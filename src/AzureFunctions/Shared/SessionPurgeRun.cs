using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// One run of the <c>PurgeExpiredSessions</c> timer, whichever Functions model calls it: deletes the configured store's
/// expired sessions within a time limit and says what happened in one line (no key, cookie or session id in it).
/// Compiled into both Functions packages from this one file.
/// </summary>
internal static class SessionPurgeRun
{
    /// <summary>The timer function's name.</summary>
    public const string FunctionName = "PurgeExpiredSessions";

    /// <summary>How a run ended.</summary>
    public enum Outcome
    {
        /// <summary>Expired sessions were deleted (possibly none).</summary>
        Purged,

        /// <summary>The store keeps nothing to purge (the cookie store) or expires sessions itself.</summary>
        NothingToPurge,

        /// <summary>The time limit was reached; what was deleted stays deleted and the next run continues.</summary>
        StoppedAtTimeLimit,
    }

    /// <summary>The result of a run.</summary>
    /// <param name="Outcome">How it ended.</param>
    /// <param name="Purged">How many sessions were deleted.</param>
    /// <param name="Store">The configured store's name.</param>
    /// <param name="Summary">One line for the invocation log.</param>
    public readonly record struct Result(Outcome Outcome, int Purged, string Store, string Summary);

    /// <summary>
    /// Purges the configured store. A <see cref="SessionStoreException"/> is the store failing: it propagates, so the
    /// caller records a failed run.
    /// </summary>
    public static async Task<Result> RunAsync(IServiceProvider services, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        string storeName = services.GetRequiredService<IOptions<SessionsOptions>>().Value.Store;
        var store = services.GetSessionStore();
        if (store is not IPurgeableSessionStore purgeable)
        {
            string summary = store is null
                ? $"Nothing to purge: Sessions:Store is {storeName}, so sessions live in their cookies and the server keeps none."
                : $"Nothing to purge: the {storeName} store does not implement IPurgeableSessionStore; it removes expired sessions itself (for example through a TTL attribute).";
            return new Result(Outcome.NothingToPurge, 0, storeName, summary);
        }

        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        long started = clock.GetTimestamp();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeLimit);
        int purged;
        try
        {
            purged = await purgeable.PurgeExpiredAsync(budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string stopped = string.Create(
                CultureInfo.InvariantCulture,
                $"Stopped purging the {storeName} store at the {timeLimit.TotalSeconds:0.#} s time limit; sessions already deleted stay deleted and the next run continues.");
            return new Result(Outcome.StoppedAtTimeLimit, 0, storeName, stopped);
        }

        var elapsed = clock.GetElapsedTime(started);
        string done = string.Create(
            CultureInfo.InvariantCulture,
            $"Purged {purged} expired session{(purged == 1 ? string.Empty : "s")} from the {storeName} store in {elapsed.TotalMilliseconds:0} ms.");
        Debug.Assert(purged >= 0, "A store reports a count.");
        return new Result(Outcome.Purged, purged, storeName, done);
    }
}
