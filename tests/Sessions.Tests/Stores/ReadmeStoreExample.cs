// The custom store shown in README.md ("Write your own store"), compiled and tested here so the README stays true.
using System.Collections.Concurrent;

namespace SessionsServerless.Tests.Stores;

/// <summary>A store over any key-value service; here a dictionary stands in for it.</summary>
public sealed class DictionaryStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, StoredSession> _items = new();

    public Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        // Treat an expired session as absent, even if the backing service has not removed it yet.
        _items.TryGetValue(key, out var session);
        return Task.FromResult(session?.ExpiresAt <= DateTimeOffset.UtcNow ? null : session);
    }

    public Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        // No versions: the last writer wins. Return a version and check session.Version for optimistic concurrency.
        _items[key] = session;
        return Task.FromResult<string?>(null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _items.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
