namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>A purgeable store whose purge does what the test says (the session operations are not used).</summary>
internal sealed class ScriptedStore(Func<CancellationToken, Task<int>> purge) : IPurgeableSessionStore
{
    public Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult<StoredSession?>(null);

    public Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) => purge(cancellationToken);
}

/// <summary>A store that expires sessions by itself (as DynamoDB's TTL does) and has no purge.</summary>
internal sealed class SelfExpiringStore : ISessionStore
{
    public Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult<StoredSession?>(null);

    public Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
}
