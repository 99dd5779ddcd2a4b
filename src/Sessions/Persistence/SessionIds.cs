using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SessionsServerless;

/// <summary>Session ids (256 random bits, base64url) and the store keys derived from them.</summary>
internal static class SessionIds
{
    private const int IdByteCount = 32;
    private const int MinimumLength = 16;
    private const int MaximumLength = 128;

    public static string Create()
    {
        Span<byte> random = stackalloc byte[IdByteCount];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    /// <summary>The key a store sees: the lowercase hex SHA-256 of the id, useless to anyone who reads the store.</summary>
    public static string ToStoreKey(string id)
    {
        Span<byte> utf8 = stackalloc byte[MaximumLength * 3];
        int length = Encoding.UTF8.GetBytes(id, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether <paramref name="id"/> looks like an id this library or hono-sessions (a UUID) issued.</summary>
    public static bool IsWellFormed(string id)
    {
        if (id.Length is < MinimumLength or > MaximumLength)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
