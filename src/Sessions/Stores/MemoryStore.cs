using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>
/// Keeps sessions in this process: thread-safe, with expired sessions evicted, an optional capacity bound and versioned
/// writes. For a single server, local development and tests; sessions end when the process does, and every instance of a
/// scaled-out or serverless app has its own.
/// </summary>
public sealed class MemoryStore : IPurgeableSessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly MemoryStoreOptions _options;
    private long _nextVersion;
    private long _lastSweepTicks;

    /// <summary>Creates a store with the given clock and options.</summary>
    /// <param name="timeProvider">The clock that decides expiry.</param>
    /// <param name="options">Capacity and sweep interval.</param>
    public MemoryStore(TimeProvider timeProvider, IOptions<MemoryStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _options = options.Value;
        if (_options.Capacity is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Sessions:Memory:Capacity must be positive, or unset for no bound.");
        }

        if (_options.MaxSessionSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Sessions:Memory:MaxSessionSize must be positive (bytes), or null for no limit.");
        }

        _lastSweepTicks = timeProvider.GetUtcNow().UtcTicks;
    }

    /// <summary>Creates an unbounded store on the system clock.</summary>
    public MemoryStore()
        : this(TimeProvider.System, Options.Create(new MemoryStoreOptions()))
    {
    }

    /// <summary>How many sessions the store holds, expired ones not yet swept included.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return Task.FromResult<StoredSession?>(null);
        }

        if (entry.IsExpired(_timeProvider.GetUtcNow()))
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return Task.FromResult<StoredSession?>(null);
        }

        return Task.FromResult<StoredSession?>(new StoredSession
        {
            Data = entry.Data,
            ExpiresAt = entry.ExpiresAt,
            Version = entry.Version.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <inheritdoc />
    public Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(session);
        if (_options.MaxSessionSize is { } limit && session.Data.Length > limit / 3 && Encoding.UTF8.GetByteCount(session.Data) is var size && size > limit)
        {
            throw new SessionTooLargeException(size, limit, SessionStoreNames.Memory);
        }

        var now = _timeProvider.GetUtcNow();
        SweepIfDue(now);

        var replacement = new Entry(session.Data, session.ExpiresAt, Interlocked.Increment(ref _nextVersion), now.UtcTicks);
        if (session.Version is null)
        {
            MakeRoom(now);
            if (!_entries.TryAdd(key, replacement))
            {
                // Only an expired leftover may be replaced by a new session.
                if (!_entries.TryGetValue(key, out var existing) || !existing.IsExpired(now) || !_entries.TryUpdate(key, replacement, existing))
                {
                    throw new SessionConcurrencyException("A session with this id already exists.");
                }
            }
        }
        else if (!_entries.TryGetValue(key, out var current)
            || current.IsExpired(now)
            || current.Version.ToString(CultureInfo.InvariantCulture) != session.Version
            || !_entries.TryUpdate(key, replacement, current))
        {
            throw new SessionConcurrencyException();
        }

        return Task.FromResult<string?>(replacement.Version.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (version is null)
        {
            return DeleteAsync(key, cancellationToken);
        }

        if (_entries.TryGetValue(key, out var entry) && entry.Version.ToString(CultureInfo.InvariantCulture) == version)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Sweep(_timeProvider.GetUtcNow()));

    private void SweepIfDue(DateTimeOffset now)
    {
        long last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last >= _options.SweepInterval.Ticks
            && Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) == last)
        {
            Sweep(now);
        }
    }

    private int Sweep(DateTimeOffset now)
    {
        int removed = 0;
        foreach (var pair in _entries)
        {
            if (pair.Value.IsExpired(now) && _entries.TryRemove(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_options.Capacity is not { } capacity || _entries.Count < capacity)
        {
            return;
        }

        Sweep(now);
        int excess = _entries.Count - capacity + 1;
        if (excess <= 0)
        {
            return;
        }

        int evict = Math.Max(excess, capacity / 10);
        foreach (var pair in _entries.OrderBy(pair => pair.Value.WrittenTicks).Take(evict).ToList())
        {
            _entries.TryRemove(pair);
        }
    }

    private sealed record Entry(string Data, DateTimeOffset? ExpiresAt, long Version, long WrittenTicks)
    {
        public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;
    }
}
