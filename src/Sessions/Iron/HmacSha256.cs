using System.Security.Cryptography;

namespace SessionsServerless;

/// <summary>
/// HMAC-SHA256 with a keyed context kept per thread, so the key's inner and outer pads are set up once rather than on
/// every call.
/// </summary>
internal static class HmacSha256
{
    public const int Length = 32;

    [ThreadStatic]
    private static (byte[]? Key, IncrementalHash? Hash) t_context;

    public static void Compute(byte[] key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var (currentKey, hash) = t_context;
        if (!ReferenceEquals(currentKey, key) || hash is null)
        {
            hash?.Dispose();
            hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            t_context = (key, hash);
        }

        hash.AppendData(data);
        hash.GetHashAndReset(destination);
    }
}
