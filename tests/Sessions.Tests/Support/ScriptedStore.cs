namespace SessionsServerless.Tests.Support;

/// <summary>
/// A store in front of a <see cref="MemoryStore"/> that counts calls and lets a test fail them or run a competing
/// request's write just before one of ours.
/// </summary>
internal sealed class ScriptedStore : IPurgeableSessionStore
{
    public ScriptedStore(MemoryStore inner) => Inner = inner;

    public MemoryStore Inner { get; }

    public int Gets;
    public int Sets;
    public int Deletes;

    /// <summary>Thrown by every call while set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Runs before the next SetAsync of an existing session (once per assignment), to simulate a racing request.</summary>
    public Func<string, Task>? BeforeNextUpdate { get; set; }

    public List<string> Keys { get; } = [];

    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Gets);
        Keys.Add(key);
        ThrowIfFailing();
        return await Inner.GetAsync(key, cancellationToken);
    }

    public async Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Sets);
        Keys.Add(key);
        ThrowIfFailing();
        if (session.Version is not null && BeforeNextUpdate is { } race)
        {
            BeforeNextUpdate = null;
            await race(key);
        }

        return await Inner.SetAsync(key, session, cancellationToken);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Deletes);
        Keys.Add(key);
        ThrowIfFailing();
        await Inner.DeleteAsync(key, cancellationToken);
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) => Inner.PurgeExpiredAsync(cancellationToken);

    /// <summary>Writes a value into the stored session as another request would.</summary>
    public async Task WriteAsAnotherRequestAsync(string key, string name, string jsonValue)
    {
        var stored = (await Inner.GetAsync(key, CancellationToken.None))!;
        var data = SessionJson.Read(System.Text.Encoding.UTF8.GetBytes(stored.Data))!;
        data.Entries[name] = new SessionEntry(System.Text.Encoding.UTF8.GetBytes(jsonValue), false);
        await Inner.SetAsync(key, new StoredSession { Data = SessionJson.WriteToString(data), ExpiresAt = stored.ExpiresAt, Version = stored.Version }, CancellationToken.None);
    }

    public void ResetCounts()
    {
        Gets = 0;
        Sets = 0;
        Deletes = 0;
        Keys.Clear();
    }

    private void ThrowIfFailing()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
