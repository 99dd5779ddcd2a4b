using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>
/// A server store: the cookie carries the session id (sealed with iron when a key is configured, as hono-sessions does),
/// and the store holds the data under the SHA-256 hash of the id.
/// </summary>
internal sealed class StoreSessionPersistence : SessionPersistence
{
    private readonly ISessionStore _store;
    private readonly IronKeyring? _keyring;
    private readonly Func<SessionData, DateTimeOffset?> _expiresAt;
    private readonly int _retries;
    private readonly TimeProvider _timeProvider;
    private readonly SessionMetrics _metrics;
    private readonly ILogger _logger;

    public StoreSessionPersistence(
        ISessionStore store,
        IronKeyring? keyring,
        Func<SessionData, DateTimeOffset?> expiresAt,
        int retries,
        TimeProvider timeProvider,
        SessionMetrics metrics,
        ILogger logger)
    {
        _store = store;
        _keyring = keyring;
        _expiresAt = expiresAt;
        _retries = retries;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    public override async ValueTask<SessionLoadResult> LoadAsync(ReadOnlyMemory<char> cookieValue, CancellationToken cancellationToken)
    {
        string id;
        bool sealedWithOlderKey = false;
        if (_keyring is null)
        {
            id = cookieValue.ToString();
        }
        else
        {
            long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var error = Iron.UnsealString(cookieValue.Span, _keyring, now, out string? unsealed, out int keyIndex);
            if (error != IronUnsealError.None)
            {
                return SessionLoadResult.Rejected(SessionRejectionExtensions.FromIron(error));
            }

            id = unsealed!;
            sealedWithOlderKey = keyIndex > 0;
        }

        if (!SessionIds.IsWellFormed(id))
        {
            return SessionLoadResult.Rejected(SessionRejection.Malformed);
        }

        var stored = await GetAsync(SessionIds.ToStoreKey(id), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return SessionLoadResult.Rejected(SessionRejection.UnknownSession);
        }

        if (Parse(stored) is not { } data)
        {
            return SessionLoadResult.Rejected(SessionRejection.UnknownSession);
        }

        return SessionLoadResult.Loaded(data, id, stored.Version, sealedWithOlderKey);
    }

    public override async ValueTask<SessionSaveResult> SaveAsync(ActiveSession active, SessionStamp stamp, CancellationToken cancellationToken)
    {
        var session = active.Session;
        if (active.Id is not { } id)
        {
            string newId = SessionIds.Create();
            stamp.Apply(session.Data);
            active.Version = await SetAsync(SessionIds.ToStoreKey(newId), session.Data, version: null, cancellationToken).ConfigureAwait(false);
            active.Id = newId;
            return SessionSaveResult.SetCookie(EncodeCookie(newId));
        }

        if (session.IsRotationRequested)
        {
            string newId = SessionIds.Create();
            stamp.Apply(session.Data);
            string? readVersion = active.Version;
            active.Version = await SetAsync(SessionIds.ToStoreKey(newId), session.Data, version: null, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(SessionIds.ToStoreKey(id), readVersion, cancellationToken).ConfigureAwait(false);
            active.Id = newId;
            return SessionSaveResult.SetCookie(EncodeCookie(newId));
        }

        string key = SessionIds.ToStoreKey(id);
        for (int attempt = 0; ; attempt++)
        {
            stamp.Apply(session.Data);
            try
            {
                active.Version = await SetAsync(key, session.Data, active.Version, cancellationToken).ConfigureAwait(false);
                return active.SealedWithOlderKey ? SessionSaveResult.SetCookie(EncodeCookie(id)) : SessionSaveResult.KeepCookie;
            }
            catch (SessionConcurrencyException) when (attempt < _retries)
            {
                var fresh = await GetAsync(key, cancellationToken).ConfigureAwait(false);
                if (fresh is null || Parse(fresh) is not { } freshData)
                {
                    SessionLog.DeletedConcurrently(_logger);
                    active.Id = null;
                    return SessionSaveResult.Drop;
                }

                SessionLog.ConcurrencyConflictReplayed(_logger, attempt + 1);
                session.Rebase(freshData);
                active.Version = fresh.Version;
            }
        }
    }

    public override ValueTask DeleteAsync(ActiveSession active, CancellationToken cancellationToken) =>
        active.Id is { } id ? new ValueTask(DeleteAsync(SessionIds.ToStoreKey(id), version: null, cancellationToken)) : ValueTask.CompletedTask;

    private string EncodeCookie(string id) => _keyring is null ? id : Iron.SealString(id, _keyring.Current);

    private SessionData? Parse(StoredSession stored)
    {
        var data = SessionJson.Read(Encoding.UTF8.GetBytes(stored.Data));
        if (data is null)
        {
            SessionLog.StoredSessionCorrupt(_logger);
        }

        return data;
    }

    private async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        bool succeeded = false;
        try
        {
            var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            succeeded = true;
            return stored;
        }
        finally
        {
            _metrics.StoreCall("get", start, succeeded);
        }
    }

    private async Task<string?> SetAsync(string key, SessionData data, string? version, CancellationToken cancellationToken)
    {
        var stored = new StoredSession { Data = SessionJson.WriteToString(data), ExpiresAt = _expiresAt(data), Version = version };
        long start = Stopwatch.GetTimestamp();
        bool succeeded = false;
        try
        {
            var newVersion = await _store.SetAsync(key, stored, cancellationToken).ConfigureAwait(false);
            succeeded = true;
            return newVersion;
        }
        finally
        {
            _metrics.StoreCall("set", start, succeeded);
        }
    }

    private async Task DeleteAsync(string key, string? version, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        bool succeeded = false;
        try
        {
            await _store.DeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
            succeeded = true;
        }
        finally
        {
            _metrics.StoreCall("delete", start, succeeded);
        }
    }
}
