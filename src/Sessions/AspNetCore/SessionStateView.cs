using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>
/// <c>HttpContext.Session</c> behind <c>UseSessions()</c>: ASP.NET Core's <see cref="ISession"/> over the request's
/// session, so <c>SetString</c>/<c>GetInt32</c>, session-backed TempData and libraries written against <see cref="ISession"/>
/// work, and see the same values as the typed API.
/// </summary>
internal sealed class SessionStateView : ISession
{
    private readonly SessionRequest _request;

    public SessionStateView(SessionRequest request) => _request = request;

    /// <summary>Whether the session could be opened (false while its store cannot be read).</summary>
    public bool IsAvailable
    {
        get
        {
            try
            {
                _request.Get();
                return true;
            }
            catch (SessionStoreException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A stable identifier of a server-side session that is not its credential (the hash the store keys it by), or an
    /// empty string for the cookie store and for a session not saved yet.
    /// </summary>
    public string Id
    {
        get
        {
            _request.Get();
            return _request.Active?.Id is { } id ? SessionIds.ToStoreKey(id) : string.Empty;
        }
    }

    public IEnumerable<string> Keys => _request.Get().Keys;

    /// <summary>Opens the session now, reading a server store asynchronously.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default) => await _request.GetAsync().ConfigureAwait(false);

    /// <summary>Does nothing: the session is saved once, just before the response starts, as with the typed API.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_request.Get().TryGetJson(key, out var json))
        {
            value = SessionBytes.FromJson(json.Span);
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _request.Get().SetJson(key, SessionBytes.ToJson(value));
    }

    public void Remove(string key) => _request.Get().Forget(key);

    public void Clear() => _request.Get().Clear();
}
