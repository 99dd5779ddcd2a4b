using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SessionsServerless;

/// <summary>
/// iron's <c>Fe26.2</c> seal with iron's defaults, as iron-webcrypto 1.2.1 implements it:
/// <c>Fe26.2*passwordId*encryptionSalt*iv*encrypted*expiration*hmacSalt*hmac</c>, AES-256-CBC with a key derived by
/// PBKDF2-HMAC-SHA1 (one iteration) from the password and the hex salt string, and an HMAC-SHA256 over the first six parts
/// with a second derived key. The payload is JSON text; sealing a string seals its JSON string literal.
/// </summary>
internal static class IronCore
{
    public const string Prefix = "Fe26.2";
    private const int SaltHexLength = 64;                 // saltBits: 256, as lowercase hex
    private const int IvByteCount = AesCbc256.BlockSize;
    private const int PartCount = 8;
    private const long TimestampSkewMilliseconds = 60_000; // timestampSkewSec: 60
    private static readonly int IvBase64Length = Base64Url.GetEncodedLength(IvByteCount);
    private static readonly int MacBase64Length = Base64Url.GetEncodedLength(HmacSha256.Length);
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Seals <paramref name="payloadJson"/> (JSON text, UTF-8) under the empty password id.</summary>
    /// <param name="payloadJson">The JSON text to seal.</param>
    /// <param name="key">The password.</param>
    /// <param name="expirationMilliseconds">Unix time in milliseconds after which the seal is expired, or 0 for none.</param>
    public static string Seal(ReadOnlySpan<byte> payloadJson, IronKey key, long expirationMilliseconds = 0)
    {
        byte[] token = ArrayPool<byte>.Shared.Rent(GetSealedLength(payloadJson.Length, expirationMilliseconds));
        try
        {
            int length = Seal(payloadJson, key, expirationMilliseconds, token);
            return Encoding.ASCII.GetString(token, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(token);
        }
    }

    /// <summary>The length of the token <see cref="Seal(ReadOnlySpan{byte}, IronKey, long, Span{byte})"/> writes.</summary>
    public static int GetSealedLength(int payloadLength, long expirationMilliseconds = 0)
    {
        int encryptedBase64Length = Base64Url.GetEncodedLength(AesCbc256.GetCiphertextLength(payloadLength));
        int expirationLength = expirationMilliseconds > 0 ? CountDigits(expirationMilliseconds) : 0;
        int macBaseLength = Prefix.Length + 2 + SaltHexLength + 1 + IvBase64Length + 1 + encryptedBase64Length + 1 + expirationLength;
        return macBaseLength + 1 + SaltHexLength + 1 + MacBase64Length;
    }

    /// <summary>
    /// Seals <paramref name="payloadJson"/> into <paramref name="destination"/> as ASCII bytes (at least
    /// <see cref="GetSealedLength"/> long), so a caller can build a header around the token without a string of its own.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public static int Seal(ReadOnlySpan<byte> payloadJson, IronKey key, long expirationMilliseconds, Span<byte> destination)
    {
        var keys = key.SealingKeys;
        int cipherLength = AesCbc256.GetCiphertextLength(payloadJson.Length);
        int totalLength = GetSealedLength(payloadJson.Length, expirationMilliseconds);
        Span<byte> token = destination[..totalLength];

        byte[] rented = ArrayPool<byte>.Shared.Rent(cipherLength);
        try
        {
            Span<byte> cipher = rented.AsSpan(0, cipherLength);
            Span<byte> iv = stackalloc byte[IvByteCount];
            SecureRandom.Fill(iv);

            int position = Encoding.ASCII.GetBytes(Prefix, token);
            token[position++] = (byte)'*';
            token[position++] = (byte)'*'; // empty password id, as hono-sessions seals
            keys.EncryptionSalt.CopyTo(token[position..]);
            position += SaltHexLength;
            token[position++] = (byte)'*';
            position += Base64Url.EncodeToUtf8(iv, token[position..]);
            token[position++] = (byte)'*';
            keys.EncryptionKey.Cipher.Encrypt(payloadJson, iv, cipher);
            position += Base64Url.EncodeToUtf8(cipher, token[position..]);
            token[position++] = (byte)'*';
            if (expirationMilliseconds > 0)
            {
                expirationMilliseconds.TryFormat(token[position..], out int digits, default, CultureInfo.InvariantCulture);
                position += digits;
            }

            Span<byte> mac = stackalloc byte[HmacSha256.Length];
            HmacSha256.Compute(keys.MacKey.Key, token[..position], mac);
            token[position++] = (byte)'*';
            keys.MacSalt.CopyTo(token[position..]);
            position += SaltHexLength;
            token[position++] = (byte)'*';
            position += Base64Url.EncodeToUtf8(mac, token[position..]);
            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Unseals <paramref name="token"/> with the keys of <paramref name="keyring"/>, newest first. On success the decrypted
    /// JSON text is in <paramref name="payload"/> (rented from <see cref="ArrayPool{T}.Shared"/>: return it) and
    /// <paramref name="keyIndex"/> says which key matched.
    /// </summary>
    public static IronUnsealError Unseal(
        ReadOnlySpan<char> token,
        IronKeyring keyring,
        long nowMilliseconds,
        out byte[]? payload,
        out int payloadLength,
        out int keyIndex)
    {
        payload = null;
        payloadLength = 0;
        keyIndex = -1;

        Span<Range> parts = stackalloc Range[PartCount + 1];
        if (token.Split(parts, '*') != PartCount)
        {
            return IronUnsealError.Malformed;
        }

        if (!token[parts[0]].SequenceEqual(Prefix))
        {
            return IronUnsealError.WrongPrefix;
        }

        ReadOnlySpan<char> expiration = token[parts[5]];
        if (!expiration.IsEmpty)
        {
            if (!IsAllDigits(expiration))
            {
                return IronUnsealError.Malformed;
            }

            // A value too large for a long is far in the future, as JavaScript's parseInt makes it.
            if (long.TryParse(expiration, NumberStyles.None, CultureInfo.InvariantCulture, out long expiresAt)
                && expiresAt <= nowMilliseconds - TimestampSkewMilliseconds)
            {
                return IronUnsealError.Expired;
            }
        }

        ReadOnlySpan<char> passwordId = token[parts[1]];
        if (!passwordId.IsEmpty && !passwordId.SequenceEqual("default"))
        {
            return IronUnsealError.UnknownPasswordId;
        }

        // iron writes 256-bit salts as 64 lowercase hex characters. Any other salt is a forgery: refuse it as iron would
        // (its MAC cannot verify) before a key is derived for it, so a client cannot make the process derive keys for
        // salts of its choosing and any length.
        ReadOnlySpan<char> encryptionSalt = token[parts[2]];
        ReadOnlySpan<char> hmacSalt = token[parts[6]];
        if (!IsIronSalt(encryptionSalt) || !IsIronSalt(hmacSalt))
        {
            return IronUnsealError.BadMac;
        }

        keyIndex = FindKeyByMac(token[..parts[5].End.GetOffset(token.Length)], hmacSalt, token[parts[7]], keyring, out IronDerivedKey? macKey);
        if (keyIndex < 0)
        {
            return IronUnsealError.BadMac;
        }

        // The MAC verified, so the token was sealed with this key: its salts are worth caching (the cookie comes back).
        var key = keyring.Keys[keyIndex];
        key.Remember(hmacSalt, macKey!);
        var encryptionKey = key.Derive(encryptionSalt);
        key.Remember(encryptionSalt, encryptionKey);
        return Decrypt(token[parts[3]], token[parts[4]], encryptionKey, out payload, out payloadLength);
    }

    /// <summary>Whether <paramref name="salt"/> is a salt as iron writes it: 64 lowercase hex characters.</summary>
    internal static bool IsIronSalt(ReadOnlySpan<char> salt) =>
        salt.Length == SaltHexLength && !salt.ContainsAnyExcept(LowercaseHex);

    private static int FindKeyByMac(ReadOnlySpan<char> macBase, ReadOnlySpan<char> hmacSalt, ReadOnlySpan<char> hmac, IronKeyring keyring, out IronDerivedKey? macKey)
    {
        macKey = null;
        int maxBytes = Encoding.UTF8.GetMaxByteCount(macBase.Length);
        byte[]? rented = maxBytes > 2048 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> buffer = rented ?? stackalloc byte[2048];
        try
        {
            int length = Encoding.UTF8.GetBytes(macBase, buffer);
            Span<byte> mac = stackalloc byte[HmacSha256.Length];
            Span<char> expected = stackalloc char[MacBase64Length];
            for (int i = 0; i < keyring.Keys.Count; i++)
            {
                var derived = keyring.Keys[i].Derive(hmacSalt);
                HmacSha256.Compute(derived.Key, buffer[..length], mac);
                Base64Url.EncodeToChars(mac, expected);
                if (FixedTimeEquals(expected, hmac))
                {
                    macKey = derived;
                    return i;
                }
            }

            return -1;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static IronUnsealError Decrypt(
        ReadOnlySpan<char> ivBase64,
        ReadOnlySpan<char> encryptedBase64,
        IronDerivedKey key,
        out byte[]? payload,
        out int payloadLength)
    {
        payload = null;
        payloadLength = 0;

        Span<byte> iv = stackalloc byte[IvByteCount + 3];
        if (!Base64Url.TryDecodeFromChars(ivBase64, iv, out int ivLength) || ivLength != IvByteCount)
        {
            return IronUnsealError.BadPayload;
        }

        int maxCipherLength = Base64Url.GetMaxDecodedLength(encryptedBase64.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(2 * maxCipherLength, 1));
        bool handedOut = false;
        try
        {
            var cipher = buffer.AsSpan(maxCipherLength, maxCipherLength);
            if (!Base64Url.TryDecodeFromChars(encryptedBase64, cipher, out int cipherLength)
                || !key.Cipher.TryDecrypt(cipher[..cipherLength], iv[..IvByteCount], buffer, out int written)
                || written == 0)
            {
                return IronUnsealError.BadPayload;
            }

            payload = buffer;
            payloadLength = written;
            handedOut = true;
            return IronUnsealError.None;
        }
        catch (CryptographicException)
        {
            return IronUnsealError.BadPayload;
        }
        finally
        {
            if (!handedOut)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Compares in time that depends only on <paramref name="expected"/>'s length, as iron does.</summary>
    private static bool FixedTimeEquals(ReadOnlySpan<char> expected, ReadOnlySpan<char> actual)
    {
        int mismatch = expected.Length == actual.Length ? 0 : 1;
        if (mismatch != 0)
        {
            actual = expected;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            mismatch |= expected[i] ^ actual[i];
        }

        return mismatch == 0;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountDigits(long value)
    {
        int digits = 1;
        while ((value /= 10) != 0)
        {
            digits++;
        }

        return digits;
    }
}
