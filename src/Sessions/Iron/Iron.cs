using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SessionsServerless;

/// <summary>
/// Seals and unseals strings in iron's <c>Fe26.2</c> format with iron's defaults, byte-compatible with hono-sessions'
/// <c>encrypt</c> and <c>decrypt</c> (iron-webcrypto): a token sealed here opens there with the same password, and the
/// reverse.
/// </summary>
/// <remarks>
/// Passwords must be at least 32 characters, counted in UTF-16 code units as JavaScript counts a string's length.
/// Tokens are compared in constant time. Sealing uses fresh random salts and IV, so sealing twice gives two tokens.
/// A session cookie is such a token too, so <see cref="Seal"/> refuses the session keys this process configured
/// (<c>Sessions:EncryptionKey</c> and the previous keys), lest a sealed string become a session cookie; use a separate
/// key for your own tokens. <see cref="Unseal"/> and <see cref="TryUnseal"/> accept session keys: reading a cookie mints
/// nothing.
/// </remarks>
public static class Iron
{
    /// <summary>The prefix every token starts with.</summary>
    public const string MacPrefix = IronCore.Prefix;

    /// <summary>The shortest password iron accepts.</summary>
    public const int MinimumPasswordLength = IronPasswordRules.MinimumLength;

    /// <summary>Seals <paramref name="value"/> (as its JSON string literal, as iron does with a string).</summary>
    /// <param name="value">The string to seal.</param>
    /// <param name="password">The password; at least 32 characters.</param>
    /// <param name="timeToLive">How long the token stays valid, or <see cref="TimeSpan.Zero"/> (the default) for no limit.</param>
    /// <param name="timeProvider">The clock for <paramref name="timeToLive"/>; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>The <c>Fe26.2</c> token.</returns>
    /// <exception cref="ArgumentException">
    /// The password is empty or shorter than 32 characters, or it is a session key this process configured
    /// (<c>Sessions:EncryptionKey</c> or a previous key): a token sealed with it would be a valid session cookie.
    /// </exception>
    public static string Seal(string value, string password, TimeSpan timeToLive = default, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.Zero);
        var key = new IronKey(password);
        if (SessionKeyRegistry.IsSessionKey(password))
        {
            throw new ArgumentException(
                "The password is a session key (Sessions:EncryptionKey or one of Sessions:PreviousEncryptionKeys): a token sealed " +
                "with it would be accepted as a session cookie. Seal your own tokens with a separate key of their own.",
                nameof(password));
        }

        long expiration = timeToLive > TimeSpan.Zero
            ? (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds() + (long)timeToLive.TotalMilliseconds
            : 0;
        return SealString(value, key, expiration);
    }

    /// <summary>Unseals a token whose content is a string.</summary>
    /// <param name="sealedValue">The <c>Fe26.2</c> token.</param>
    /// <param name="password">The password it was sealed with.</param>
    /// <param name="timeProvider">The clock that checks a token's time to live; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>The string that was sealed.</returns>
    /// <exception cref="IronException">The token is malformed, altered, expired, sealed with another password, or not a string.</exception>
    /// <exception cref="ArgumentException">The password is empty or shorter than 32 characters.</exception>
    public static string Unseal(string sealedValue, string password, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        var error = UnsealString(sealedValue, new IronKeyring(password), Now(timeProvider), out string? value, out _);
        return error == IronUnsealError.None ? value! : throw new IronException(error);
    }

    /// <summary>Unseals a token whose content is a string, without throwing for a bad token.</summary>
    /// <param name="sealedValue">The <c>Fe26.2</c> token.</param>
    /// <param name="password">The password it was sealed with.</param>
    /// <param name="value">The string that was sealed, when the token unsealed.</param>
    /// <returns><see langword="true"/> when the token unsealed and held a string.</returns>
    /// <exception cref="ArgumentException">The password is empty or shorter than 32 characters.</exception>
    public static bool TryUnseal(string sealedValue, string password, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        return UnsealString(sealedValue, new IronKeyring(password), Now(null), out value, out _) == IronUnsealError.None;
    }

    internal static string SealString(string value, IronKey key, long expirationMilliseconds = 0)
    {
        int maxUtf8 = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(maxUtf8);
        byte[] literal = ArrayPool<byte>.Shared.Rent(JsonStringLiteral.GetMaxLength(maxUtf8));
        try
        {
            int length = Encoding.UTF8.GetBytes(value, utf8);
            int literalLength = JsonStringLiteral.Write(utf8.AsSpan(0, length), literal);
            return IronCore.Seal(literal.AsSpan(0, literalLength), key, expirationMilliseconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(literal);
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    internal static IronUnsealError UnsealString(ReadOnlySpan<char> sealedValue, IronKeyring keyring, long nowMilliseconds, out string? value, out int keyIndex)
    {
        value = null;
        var error = IronCore.Unseal(sealedValue, keyring, nowMilliseconds, out byte[]? payload, out int payloadLength, out keyIndex);
        if (error != IronUnsealError.None)
        {
            return error;
        }

        try
        {
            if (!JsonStringLiteral.TryRead(payload.AsSpan(0, payloadLength), out byte[]? content, out int contentLength))
            {
                return IronUnsealError.BadPayload;
            }

            value = Encoding.UTF8.GetString(content!, 0, contentLength);
            ArrayPool<byte>.Shared.Return(content!);
            return IronUnsealError.None;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload!);
        }
    }

    private static long Now(TimeProvider? timeProvider) =>
        (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
}
