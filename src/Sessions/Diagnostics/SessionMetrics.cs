using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SessionsServerless;

/// <summary>
/// The <c>SessionsServerless</c> meter: sessions created, loaded, expired, rejected (with the reason), rotated and
/// deleted, and the duration of store calls.
/// </summary>
internal sealed class SessionMetrics
{
    public const string MeterName = "SessionsServerless";

    private readonly Counter<long> _created;
    private readonly Counter<long> _loaded;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _rotated;
    private readonly Counter<long> _deleted;
    private readonly Histogram<double> _storeDuration;

    public SessionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("sessions.created", "{session}", "Sessions saved for the first time.");
        _loaded = meter.CreateCounter<long>("sessions.loaded", "{session}", "Requests that came with a valid session.");
        _expired = meter.CreateCounter<long>("sessions.expired", "{session}", "Sessions found expired (idle or absolute lifetime) and replaced by a fresh one.");
        _rejected = meter.CreateCounter<long>("sessions.rejected", "{session}", "Session cookies refused (tag reason: tampered, unknown_key, oversize, malformed, unknown_session).");
        _rotated = meter.CreateCounter<long>("sessions.rotated", "{session}", "Sessions whose id was regenerated.");
        _deleted = meter.CreateCounter<long>("sessions.deleted", "{session}", "Sessions ended by Delete or by becoming empty.");
        _storeDuration = meter.CreateHistogram<double>(
            "sessions.store.duration",
            "s",
            "Duration of session store calls (tags operation: get, set, delete; outcome: success, failure).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void Created() => _created.Add(1);

    public void Loaded() => _loaded.Add(1);

    public void Expired() => _expired.Add(1);

    public void Rejected(SessionRejection reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToTagValue()));

    public void Rotated() => _rotated.Add(1);

    public void Deleted() => _deleted.Add(1);

    public void StoreCall(string operation, long startTimestamp, bool succeeded) =>
        _storeDuration.Record(
            Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
}
