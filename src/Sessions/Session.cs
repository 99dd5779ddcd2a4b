using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>
/// The current request's session: typed values, flash values that are read once, expiry, deletion and id rotation.
/// Get it with <c>HttpContext.GetSession()</c> or as a minimal API parameter.
/// </summary>
/// <remarks>
/// <para>
/// Changes are saved once, just before the response starts: the cookie store re-seals the cookie, a server store writes
/// its record. A request that changes nothing saves nothing (beyond renewing the expiry once
/// <see cref="SessionsOptions.RenewalThreshold"/> of the idle window has passed), and a session that holds nothing sets no
/// cookie at all.
/// </para>
/// <para>
/// Changing the session after the response has started throws <see cref="InvalidOperationException"/>, because the change
/// could no longer be saved. A session is used by one request at a time and is not thread-safe.
/// </para>
/// </remarks>
public sealed class Session
{
    private readonly SessionValueSerializer _serializer;
    private SessionData _data;
    private List<KeyValuePair<string, SessionEntry?>>? _changes;
    private State _state;

    internal Session(SessionData data, SessionValueSerializer serializer, bool isNew)
    {
        _data = data;
        _serializer = serializer;
        IsNew = isNew;
    }

    [Flags]
    private enum State
    {
        None = 0,
        Changed = 1,
        RotationRequested = 2,
        Touched = 4,
        Deleted = 8,
        Committed = 16,
        Abandoned = 32,
    }

    /// <summary>Whether the request came without a usable session, so this one started empty.</summary>
    public bool IsNew { get; }

    /// <summary>Whether <see cref="Delete"/> was called: the session ends with this request.</summary>
    public bool IsDeleted => Has(State.Deleted);

    /// <summary>When the session expires from inactivity, as last saved, or <see langword="null"/> for none (or not saved yet).</summary>
    public DateTimeOffset? ExpiresAt => _data.ExpiresAt;

    /// <summary>When a request last saved the session, or <see langword="null"/> if it was never saved.</summary>
    public DateTimeOffset? LastAccessed => _data.LastAccessed;

    /// <summary>When the session was created, kept when <see cref="SessionsOptions.AbsoluteLifetime"/> is set.</summary>
    public DateTimeOffset? CreatedAt => _data.CreatedAt;

    /// <summary>The names of the values in the session, flash values included.</summary>
    public IReadOnlyCollection<string> Keys => _data.Entries.Keys;

    /// <summary>Whether the session holds no values.</summary>
    public bool IsEmpty => _data.Entries.Count == 0;

    internal SessionData Data => _data;

    internal bool IsChanged => Has(State.Changed);

    internal bool IsRotationRequested => Has(State.RotationRequested);

    internal bool IsTouched => Has(State.Touched);

    internal bool IsCommitted => Has(State.Committed);

    internal bool IsAbandoned => Has(State.Abandoned);

    /// <summary>Binds a <see cref="Session"/> parameter of a minimal API endpoint to the request's session.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The session.</returns>
    public static ValueTask<Session?> BindAsync(HttpContext context)
    {
        var opening = context.LoadSessionAsync();
        return opening.IsCompletedSuccessfully ? ValueTask.FromResult<Session?>(opening.Result) : AwaitSession(opening);

        static async ValueTask<Session?> AwaitSession(ValueTask<Session> opening) => await opening.ConfigureAwait(false);
    }

    /// <summary>Whether the session holds a value named <paramref name="key"/>. A flash value stays until it is read.</summary>
    /// <param name="key">The value's name.</param>
    /// <returns><see langword="true"/> when the value is present.</returns>
    public bool ContainsKey(string key) => _data.Entries.ContainsKey(key);

    /// <summary>Reads a value; a flash value is removed once read (as hono-sessions' <c>get</c>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The value's key.</param>
    /// <returns>The value, or <c>default</c> when it is absent or is not a <typeparamref name="T"/>.</returns>
    public T? Get<T>(SessionKey<T> key) => TryGet(key, out var value) ? value : default;

    /// <summary>Reads a value if it is present; a flash value is removed once read.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The value's key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns><see langword="true"/> when the value is present and is a <typeparamref name="T"/>.</returns>
    public bool TryGet<T>(SessionKey<T> key, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_data.Entries.TryGetValue(key.Name, out var entry))
        {
            value = default;
            return false;
        }

        if (entry.IsFlash)
        {
            ThrowIfNotWritable();
            Record(key.Name, null);
        }

        return SessionValueSerializer.TryDeserialize(entry.Json.Span, key.GetTypeInfo(_serializer), out value);
    }

    /// <summary>Stores a value.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The value's key.</param>
    /// <param name="value">The value.</param>
    public void Set<T>(SessionKey<T> key, T value) => Store(key, value, isFlash: false);

    /// <summary>Stores a value that is removed the first time it is read, typically in the next request (a flash message).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The value's key.</param>
    /// <param name="value">The value.</param>
    public void Flash<T>(SessionKey<T> key, T value) => Store(key, value, isFlash: true);

    /// <summary>Removes a value; removing an absent value does nothing.</summary>
    /// <param name="key">The value's name.</param>
    public void Forget(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfNotWritable();
        if (_data.Entries.ContainsKey(key))
        {
            Record(key, null);
        }
    }

    /// <summary>Removes a value; removing an absent value does nothing.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The value's key.</param>
    public void Forget<T>(SessionKey<T> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Forget(key.Name);
    }

    /// <summary>
    /// Records activity: extends the idle expiry and the access time even when
    /// <see cref="SessionsOptions.AutoExtendExpiration"/> is off. As with automatic extension, the new expiry is saved only
    /// once <see cref="SessionsOptions.RenewalThreshold"/> of the idle window has passed, so touching on every request
    /// costs no writes.
    /// </summary>
    public void Touch()
    {
        ThrowIfNotWritable();
        _state |= State.Touched;
    }

    /// <summary>
    /// Ends the session: at the end of the request a server store deletes its record and the cookie is expired. The
    /// session is empty from now on and cannot be changed again in this request; the next request starts a new one.
    /// </summary>
    public void Delete()
    {
        ThrowIfCommitted();
        _state |= State.Deleted;
        _data.Entries.Clear();
        _changes = null;
    }

    /// <summary>
    /// Gives the session a new id at the end of the request, as after a login, so an id known before it is useless
    /// (hono-sessions' <c>session_key_rotation</c>). A server store moves the data to the new id and deletes the old
    /// record; the cookie store, which has no id, re-seals the cookie.
    /// </summary>
    public void RegenerateId()
    {
        ThrowIfNotWritable();
        _state |= State.RotationRequested;
    }

    /// <summary>Reads a value's JSON (for the <c>ISession</c> view); a flash value is removed once read.</summary>
    internal bool TryGetJson(string name, out ReadOnlyMemory<byte> json)
    {
        if (!_data.Entries.TryGetValue(name, out var entry))
        {
            json = default;
            return false;
        }

        if (entry.IsFlash)
        {
            ThrowIfNotWritable();
            Record(name, null);
        }

        json = entry.Json;
        return true;
    }

    /// <summary>Stores a value's JSON (for the <c>ISession</c> view).</summary>
    internal void SetJson(string name, byte[] json)
    {
        ThrowIfNotWritable();
        var entry = new SessionEntry(json, IsFlash: false);
        if (_data.Entries.TryGetValue(name, out var existing) && existing.HasSameContent(entry))
        {
            return;
        }

        Record(name, entry);
    }

    /// <summary>Removes every value (<c>ISession.Clear</c>); the session then ends as an empty one does.</summary>
    internal void Clear()
    {
        ThrowIfNotWritable();
        foreach (string name in _data.Entries.Keys.ToArray())
        {
            Record(name, null);
        }
    }

    /// <summary>Replaces the data with a fresher copy from the store and applies this request's changes to it again.</summary>
    internal void Rebase(SessionData fresh)
    {
        _data = fresh;
        if (_changes is null)
        {
            return;
        }

        foreach (var (name, entry) in _changes)
        {
            if (entry is { } value)
            {
                fresh.Entries[name] = value;
            }
            else
            {
                fresh.Entries.Remove(name);
            }
        }
    }

    /// <summary>Called when saving starts: from now on a change throws.</summary>
    internal void MarkCommitted() => _state |= State.Committed;

    /// <summary>Called when the endpoint threw: its changes are not saved.</summary>
    internal void Abandon() => _state |= State.Abandoned;

    private void Store<T>(SessionKey<T> key, T value, bool isFlash)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfNotWritable();
        var entry = new SessionEntry(SessionValueSerializer.Serialize(value, key.GetTypeInfo(_serializer)), isFlash);
        if (_data.Entries.TryGetValue(key.Name, out var existing) && existing.HasSameContent(entry))
        {
            return;
        }

        Record(key.Name, entry);
    }

    private void Record(string name, SessionEntry? entry)
    {
        if (entry is { } value)
        {
            _data.Entries[name] = value;
        }
        else
        {
            _data.Entries.Remove(name);
        }

        (_changes ??= new(capacity: 1)).Add(new(name, entry)); // most requests change one value
        _state |= State.Changed;
    }

    private bool Has(State flag) => (_state & flag) != 0;

    private void ThrowIfNotWritable()
    {
        ThrowIfCommitted();
        if (Has(State.Deleted))
        {
            throw new InvalidOperationException(
                "The session was deleted in this request and cannot be changed again. A new session starts with the next request.");
        }
    }

    private void ThrowIfCommitted()
    {
        if (Has(State.Committed))
        {
            throw new InvalidOperationException(
                "The session was already saved because the response has started. Change the session before writing to the response body.");
        }
    }
}
