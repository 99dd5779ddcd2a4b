using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>
/// One request's session, carried in <c>HttpContext.Features</c>: opened lazily, the first time the endpoint asks for it,
/// so a request that never touches the session reads no cookie seal and no store.
/// </summary>
internal sealed class SessionRequest
{
    private readonly SessionLifecycle _lifecycle;
    private ActiveSession? _active;
    private Task<ActiveSession>? _opening;

    public SessionRequest(HttpContext context, SessionLifecycle lifecycle, bool isPersistable)
    {
        Context = context;
        _lifecycle = lifecycle;
        IsPersistable = isPersistable;
    }

    public HttpContext Context { get; }

    /// <summary>The opened session, or <see langword="null"/> while the endpoint has not asked for it.</summary>
    public ActiveSession? Active => _active;

    /// <summary>
    /// Whether the session may be saved. It may not when the cookie policy says the visitor has not consented to
    /// non-essential cookies: the session then starts empty and nothing of it is kept.
    /// </summary>
    public bool IsPersistable { get; }

    /// <summary>Whether opening the session failed because the store could not be read.</summary>
    public bool OpenFailed { get; private set; }

    /// <summary>Whether the endpoint threw, so nothing the session holds is saved.</summary>
    public bool IsAbandoned { get; private set; }

    /// <summary>The session, opened now if it was not yet (blocking on a server store's read: prefer <see cref="GetAsync"/>).</summary>
    public Session Get()
    {
        if (_active is { } active)
        {
            return active.Session;
        }

        var opening = GetAsync();
        return opening.IsCompletedSuccessfully ? opening.Result : opening.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The session, opened now if it was not yet.</summary>
    public ValueTask<Session> GetAsync()
    {
        if (_active is { } active)
        {
            return ValueTask.FromResult(active.Session);
        }

        if (_opening is { } pending)
        {
            return new ValueTask<Session>(SessionOf(pending));
        }

        var opening = _lifecycle.OpenAsync(this);
        if (opening.IsCompletedSuccessfully)
        {
            _active = opening.Result;
            return ValueTask.FromResult(_active.Session);
        }

        _opening = Complete(opening);
        return new ValueTask<Session>(SessionOf(_opening));
    }

    /// <summary>Saves the session as the response starts (the callback <see cref="SessionLifecycle.Begin"/> registers).</summary>
    public Task CommitOnStartingAsync() => _lifecycle.CommitAsync(this, responseIsReplaceable: false);

    /// <summary>Called when the store could not be read: the request is answered with 503 if it can still be.</summary>
    public void MarkOpenFailed() => OpenFailed = true;

    /// <summary>Called when the endpoint threw: whatever the session holds is not saved.</summary>
    public void Abandon()
    {
        IsAbandoned = true;
        _active?.Session.Abandon();
    }

    private static async Task<Session> SessionOf(Task<ActiveSession> opening) => (await opening.ConfigureAwait(false)).Session;

    private async Task<ActiveSession> Complete(ValueTask<ActiveSession> opening)
    {
        var active = await opening.ConfigureAwait(false);
        _active = active;
        return active;
    }
}
