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
    private const int SaltByteCount = 32;                 // saltBits: 256
    private const int SaltHexLength = SaltByteCount * 2;
    private const int IvByteCount = 16;                   // AES block
    private const int KeyByteCount = 32;                  // AES-256 and HMAC-SHA256 keys
    private const int MacByteCount = 32;
    private const int PartCount = 8;
    private const long TimestampSkewMilliseconds = 60_000; // timestampSkewSec: 60
    private static readonly int IvBase64Length = Base64Url.GetEncodedLength(IvByteCount);
    private static readonly int MacBase64Length = Base64Url.GetEncodedLength(MacByteCount);

    [ThreadStatic]
    private static Aes? t_aes;

    /// <summary>Seals <paramref name="payloadJson"/> (JSON text, UTF-8) under the empty password id.</summary>
    /// <param name="payloadJson">The JSON text to seal.</param>
    /// <param name="key">The password.</param>
    /// <param name="expirationMilliseconds">Unix time in milliseconds after which the seal is expired, or 0 for none.</param>
    public static string Seal(ReadOnlySpan<byte> payloadJson, IronKey key, long expirationMilliseconds = 0)
    {
        int cipherLength = ((payloadJson.Length / IvByteCount) + 1) * IvByteCount;
        int encryptedBase64Length = Base64Url.GetEncodedLength(cipherLength);
        int expirationLength = expirationMilliseconds > 0 ? CountDigits(expirationMilliseconds) : 0;
        int macBaseLength = Prefix.Length + 1 /* '*' + empty id */ + 1 + SaltHexLength + 1 + IvBase64Length + 1 + encryptedBase64Length + 1 + expirationLength;
        int totalLength = macBaseLength + 1 + SaltHexLength + 1 + MacBase64Length;

        byte[] rentedToken = ArrayPool<byte>.Shared.Rent(totalLength);
        byte[] rentedCipher = ArrayPool<byte>.Shared.Rent(cipherLength);
        try
        {
            Span<byte> token = rentedToken.AsSpan(0, totalLength);
            Span<byte> random = stackalloc byte[SaltByteCount + IvByteCount + SaltByteCount];
            RandomNumberGenerator.Fill(random);
            ReadOnlySpan<byte> iv = random.Slice(SaltByteCount, IvByteCount);

            int position = 0;
            position += Encoding.ASCII.GetBytes(Prefix, token);
            token[position++] = (byte)'*';
            token[position++] = (byte)'*'; // empty password id, as hono-sessions seals
            Span<byte> encryptionSalt = token.Slice(position, SaltHexLength);
            WriteLowerHex(random[..SaltByteCount], encryptionSalt);
            position += SaltHexLength;
            token[position++] = (byte)'*';
            position += Base64Url.EncodeToUtf8(iv, token[position..]);
            token[position++] = (byte)'*';

            Span<byte> derived = stackalloc byte[KeyByteCount];
            DeriveKey(key, encryptionSalt, derived);
            Aes aes = GetAes();
            aes.SetKey(derived);
            int written = aes.EncryptCbc(payloadJson, iv, rentedCipher, PaddingMode.PKCS7);
            position += Base64Url.EncodeToUtf8(rentedCipher.AsSpan(0, written), token[position..]);
            token[position++] = (byte)'*';
            if (expirationMilliseconds > 0)
            {
                expirationMilliseconds.TryFormat(token[position..], out int digits, default, CultureInfo.InvariantCulture);
                position += digits;
            }

            ReadOnlySpan<byte> macBase = token[..position];
            token[position++] = (byte)'*';
            Span<byte> hmacSalt = token.Slice(position, SaltHexLength);
            WriteLowerHex(random[(SaltByteCount + IvByteCount)..], hmacSalt);
            position += SaltHexLength;
            token[position++] = (byte)'*';

            DeriveKey(key, hmacSalt, derived);
            Span<byte> mac = stackalloc byte[MacByteCount];
            HMACSHA256.HashData(derived, macBase, mac);
            CryptographicOperations.ZeroMemory(derived);
            position += Base64Url.EncodeToUtf8(mac, token[position..]);

            return Encoding.ASCII.GetString(token[..position]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rentedCipher);
            ArrayPool<byte>.Shared.Return(rentedToken);
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

        ReadOnlySpan<char> macBase = token[..parts[5].End.GetOffset(token.Length)];
        ReadOnlySpan<char> hmacSalt = token[parts[6]];
        ReadOnlySpan<char> hmac = token[parts[7]];

        keyIndex = FindKeyByMac(macBase, hmacSalt, hmac, keyring);
        if (keyIndex < 0)
        {
            return IronUnsealError.BadMac;
        }

        return Decrypt(token[parts[2]], token[parts[3]], token[parts[4]], keyring.Keys[keyIndex], out payload, out payloadLength);
    }

    private static int FindKeyByMac(ReadOnlySpan<char> macBase, ReadOnlySpan<char> hmacSalt, ReadOnlySpan<char> hmac, IronKeyring keyring)
    {
        byte[]? rented = null;
        int macBaseByteCount = Encoding.UTF8.GetMaxByteCount(macBase.Length);
        int saltByteCount = Encoding.UTF8.GetMaxByteCount(hmacSalt.Length);
        Span<byte> buffer = macBaseByteCount + saltByteCount <= 1024
            ? stackalloc byte[1024]
            : (rented = ArrayPool<byte>.Shared.Rent(macBaseByteCount + saltByteCount));
        try
        {
            int baseLength = Encoding.UTF8.GetBytes(macBase, buffer);
            ReadOnlySpan<byte> macBaseBytes = buffer[..baseLength];
            int saltLength = Encoding.UTF8.GetBytes(hmacSalt, buffer[baseLength..]);
            ReadOnlySpan<byte> saltBytes = buffer.Slice(baseLength, saltLength);

            Span<byte> derived = stackalloc byte[KeyByteCount];
            Span<byte> mac = stackalloc byte[MacByteCount];
            Span<char> expected = stackalloc char[MacBase64Length];
            for (int i = 0; i < keyring.Keys.Count; i++)
            {
                DeriveKey(keyring.Keys[i], saltBytes, derived);
                HMACSHA256.HashData(derived, macBaseBytes, mac);
                Base64Url.EncodeToChars(mac, expected);
                if (FixedTimeEquals(expected, hmac))
                {
                    CryptographicOperations.ZeroMemory(derived);
                    return i;
                }
            }

            CryptographicOperations.ZeroMemory(derived);
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
        ReadOnlySpan<char> encryptionSalt,
        ReadOnlySpan<char> ivBase64,
        ReadOnlySpan<char> encryptedBase64,
        IronKey key,
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
        byte[] cipher = ArrayPool<byte>.Shared.Rent(Math.Max(maxCipherLength, 1));
        byte[]? plain = null;
        try
        {
            if (!Base64Url.TryDecodeFromChars(encryptedBase64, cipher, out int cipherLength)
                || cipherLength == 0
                || cipherLength % IvByteCount != 0)
            {
                return IronUnsealError.BadPayload;
            }

            int saltByteCount = Encoding.UTF8.GetByteCount(encryptionSalt);
            byte[]? rentedSalt = saltByteCount > 256 ? ArrayPool<byte>.Shared.Rent(saltByteCount) : null;
            Span<byte> salt = rentedSalt is null ? stackalloc byte[256] : rentedSalt;
            salt = salt[..Encoding.UTF8.GetBytes(encryptionSalt, salt)];
            Span<byte> derived = stackalloc byte[KeyByteCount];
            DeriveKey(key, salt, derived);
            if (rentedSalt is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedSalt);
            }

            plain = ArrayPool<byte>.Shared.Rent(cipherLength);
            Aes aes = GetAes();
            aes.SetKey(derived);
            CryptographicOperations.ZeroMemory(derived);
            if (!aes.TryDecryptCbc(cipher.AsSpan(0, cipherLength), iv[..IvByteCount], plain, out int written, PaddingMode.PKCS7)
                || written == 0)
            {
                return IronUnsealError.BadPayload;
            }

            payload = plain;
            payloadLength = written;
            plain = null;
            return IronUnsealError.None;
        }
        catch (CryptographicException)
        {
            return IronUnsealError.BadPayload;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(cipher);
            if (plain is not null)
            {
                ArrayPool<byte>.Shared.Return(plain);
            }
        }
    }

    private static void DeriveKey(IronKey key, ReadOnlySpan<byte> salt, Span<byte> destination) =>
        Rfc2898DeriveBytes.Pbkdf2(key.Utf8, salt, destination, 1, HashAlgorithmName.SHA1);

    private static Aes GetAes() => t_aes ??= Aes.Create();

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

    private static void WriteLowerHex(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        const string Digits = "0123456789abcdef";
        for (int i = 0; i < source.Length; i++)
        {
            destination[2 * i] = (byte)Digits[source[i] >> 4];
            destination[(2 * i) + 1] = (byte)Digits[source[i] & 0xF];
        }
    }
}
