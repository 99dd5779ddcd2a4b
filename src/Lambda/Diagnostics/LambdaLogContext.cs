namespace SessionsServerless.Lambda;

/// <summary>
/// The invocation a log record belongs to. It flows with the invocation's async work (an <see cref="AsyncLocal{T}"/>),
/// not through process-wide state, so invocations served at the same time each log their own request and trace ids.
/// </summary>
internal static class LambdaLogContext
{
    private static readonly AsyncLocal<Entry?> CurrentEntry = new();

    /// <summary>The invocation being served on this async flow, or <see langword="null"/> (startup, between invocations).</summary>
    public static Entry? Current => CurrentEntry.Value;

    /// <summary>Marks the rest of this async flow as serving the invocation; disposing restores what was there.</summary>
    public static Scope Begin(string requestId, string? traceHeader)
    {
        var previous = CurrentEntry.Value;
        CurrentEntry.Value = new Entry(requestId, TraceRoot(traceHeader));
        return new Scope(previous);
    }

    /// <summary>The X-Ray trace id (<c>Root=</c> of the trace header), as Lambda writes it in JSON logs.</summary>
    internal static string? TraceRoot(string? traceHeader)
    {
        if (string.IsNullOrEmpty(traceHeader))
        {
            return null;
        }

        foreach (var part in traceHeader.Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Root=", StringComparison.Ordinal))
            {
                return part[5..];
            }
        }

        return traceHeader;
    }

    /// <summary>What a record carries of its invocation.</summary>
    internal sealed record Entry(string RequestId, string? TraceId);

    /// <summary>Ends an invocation's log context.</summary>
    internal readonly struct Scope(Entry? previous) : IDisposable
    {
        public void Dispose() => CurrentEntry.Value = previous;
    }
}
