using System.Buffers;

namespace SessionsServerless;

/// <summary>The cookie store: the whole session, sealed with iron, is the cookie.</summary>
internal sealed class CookieSessionPersistence : SessionPersistence
{
    private readonly IronKeyring _keyring;
    private readonly TimeProvider _timeProvider;

    public CookieSessionPersistence(IronKeyring keyring, TimeProvider timeProvider)
    {
        _keyring = keyring;
        _timeProvider = timeProvider;
    }

    public override ValueTask<SessionLoadResult> LoadAsync(ReadOnlyMemory<char> cookieValue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Load(cookieValue.Span));

    public override ValueTask<SessionSaveResult> SaveAsync(ActiveSession active, SessionStamp stamp, CancellationToken cancellationToken)
    {
        var data = active.Session.Data;
        stamp.Apply(data);
        byte[] cookie = SealToBuffer(data, _keyring.Current, out int length);
        return ValueTask.FromResult(SessionSaveResult.SetCookie(cookie, length));
    }

    public override ValueTask DeleteAsync(ActiveSession active, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Seals session data as hono-sessions does: iron over the JSON string literal of the session JSON.</summary>
    internal static string Seal(SessionData data, IronKey key)
    {
        byte[] token = SealToBuffer(data, key, out int length);
        try
        {
            return System.Text.Encoding.ASCII.GetString(token, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(token);
        }
    }

    /// <summary>Seals session data into a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it).</summary>
    private static byte[] SealToBuffer(SessionData data, IronKey key, out int length)
    {
        using var json = new PooledBufferWriter();
        SessionJson.Write(data, json);
        byte[] literal = ArrayPool<byte>.Shared.Rent(JsonStringLiteral.GetMaxLength(json.WrittenCount));
        try
        {
            int literalLength = JsonStringLiteral.Write(json.WrittenSpan, literal);
            byte[] token = ArrayPool<byte>.Shared.Rent(IronCore.GetSealedLength(literalLength));
            length = IronCore.Seal(literal.AsSpan(0, literalLength), key, 0, token);
            return token;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(literal);
        }
    }

    private SessionLoadResult Load(ReadOnlySpan<char> cookieValue)
    {
        long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var error = IronCore.Unseal(cookieValue, _keyring, now, out byte[]? payload, out int payloadLength, out int keyIndex);
        if (error != IronUnsealError.None)
        {
            return SessionLoadResult.Rejected(SessionRejectionExtensions.FromIron(error));
        }

        try
        {
            // The session keeps slices of this array for its values, so it is owned, not pooled.
            if (!JsonStringLiteral.TryReadOwned(payload.AsSpan(0, payloadLength), out byte[]? json, out int jsonLength))
            {
                return SessionLoadResult.Rejected(SessionRejection.Malformed);
            }

            return SessionJson.Read(json.AsMemory(0, jsonLength)) is { } data
                ? SessionLoadResult.Loaded(data, id: null, version: null, sealedWithOlderKey: keyIndex > 0)
                : SessionLoadResult.Rejected(SessionRejection.Malformed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload!);
        }
    }
}
