using System.Security.Cryptography;

namespace SessionsServerless;

/// <summary>
/// HMAC-SHA256 with keyed contexts kept per thread, so a key's inner and outer pads are set up once rather than on every
/// call. A few keys are kept, not one: a request that unseals a cookie sealed elsewhere (another instance, an earlier
/// process, the previous salt interval) and seals the answer uses two MAC keys, which must not evict each other.
/// </summary>
internal static class HmacSha256
{
    public const int Length = 32;
    private const int ContextsPerThread = 4;

    [ThreadStatic]
    private static KeyedContext[]? t_contexts;

    [ThreadStatic]
    private static int t_nextEviction;

    public static void Compute(byte[] key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hash = GetContext(key);
        hash.AppendData(data);
        hash.GetHashAndReset(destination);
    }

    private static IncrementalHash GetContext(byte[] key)
    {
        var contexts = t_contexts ??= new KeyedContext[ContextsPerThread];
        for (int i = 0; i < contexts.Length; i++)
        {
            if (ReferenceEquals(contexts[i].Key, key))
            {
                return contexts[i].Hash!;
            }
        }

        int slot = t_nextEviction;
        t_nextEviction = (slot + 1) % ContextsPerThread;
        contexts[slot].Hash?.Dispose();
        var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        contexts[slot] = new KeyedContext(key, hash);
        return hash;
    }

    private readonly record struct KeyedContext(byte[]? Key, IncrementalHash? Hash);
}
