using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SessionsServerless;

/// <summary>
/// An iron password, held as the UTF-8 bytes PBKDF2 derives keys from, with the keys it derived: the current sealing
/// pair, and a bounded cache of keys for the salts of tokens that verified (a returning cookie carries the salts it was
/// sealed with, by this process or another one).
/// </summary>
internal sealed class IronKey
{
    private const int SaltByteCount = 32;
    private const int MaxCachedSalts = 1024;
    private static readonly long SealingInterval = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;

    private readonly ConcurrentDictionary<string, IronDerivedKey> _derived = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IronDerivedKey>.AlternateLookup<ReadOnlySpan<char>> _derivedBySpan;
    private readonly Lock _rotation = new();
    private volatile IronSealingKeys? _sealing;
    private volatile IronSealingKeys? _previousSealing;
    private long _saltDerivations;

    public IronKey(string password)
    {
        IronPasswordRules.ThrowIfInvalid(password, nameof(password));
        Utf8 = Encoding.UTF8.GetBytes(password);
        _derivedBySpan = _derived.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public byte[] Utf8 { get; }

    /// <summary>The salts and keys to seal with now.</summary>
    public IronSealingKeys SealingKeys
    {
        get
        {
            var current = _sealing;
            if (current is not null && current.IsCurrent)
            {
                return current;
            }

            lock (_rotation)
            {
                current = _sealing;
                if (current is null || !current.IsCurrent)
                {
                    _previousSealing = current;
                    current = _sealing = NewSealingKeys();
                }

                return current;
            }
        }
    }

    /// <summary>How many salts have a derived key in the cache (tests watch it stay bounded).</summary>
    internal int CachedSaltCount => _derived.Count;

    /// <summary>How many keys were derived for token salts since this key was created (tests watch it).</summary>
    internal long SaltDerivationCount => Interlocked.Read(ref _saltDerivations);

    /// <summary>
    /// The key derived from this password and <paramref name="salt"/> (a token's salt part, already checked to be 64
    /// lowercase hex characters). A key derived here is not cached: whoever sends a token chooses its salts, so only
    /// <see cref="Remember"/> (called once the token's MAC verified) puts a key in the cache.
    /// </summary>
    public IronDerivedKey Derive(ReadOnlySpan<char> salt)
    {
        // Cookies this process sealed carry the current or the previous interval's salts.
        if ((_sealing?.Find(salt) ?? _previousSealing?.Find(salt)) is { } sealedHere)
        {
            return sealedHere;
        }

        if (_derivedBySpan.TryGetValue(salt, out var cached))
        {
            return cached;
        }

        Interlocked.Increment(ref _saltDerivations);
        return DeriveUncached(salt);
    }

    /// <summary>Caches <paramref name="derived"/> for <paramref name="salt"/>: a salt of a token whose MAC verified with this key.</summary>
    public void Remember(ReadOnlySpan<char> salt, IronDerivedKey derived)
    {
        if ((_sealing?.Find(salt) ?? _previousSealing?.Find(salt)) is not null || _derivedBySpan.ContainsKey(salt))
        {
            return;
        }

        if (_derived.Count >= MaxCachedSalts)
        {
            // Only tokens sealed with this key get here (other instances' salts, earlier intervals'), but keep it bounded.
            _derived.Clear();
        }

        _derivedBySpan.TryAdd(salt, derived);
    }

    private IronDerivedKey DeriveUncached(ReadOnlySpan<char> salt)
    {
        Span<byte> saltBytes = salt.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(salt.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(salt.Length)];
        int length = Encoding.UTF8.GetBytes(salt, saltBytes);
        return Derive(saltBytes[..length]);
    }

    private IronDerivedKey Derive(ReadOnlySpan<byte> salt)
    {
        byte[] key = new byte[32];
        Rfc2898DeriveBytes.Pbkdf2(Utf8, salt, key, 1, HashAlgorithmName.SHA1);
        return new IronDerivedKey(key);
    }

    private IronSealingKeys NewSealingKeys()
    {
        int generation = CachedRandomness.Generation;
        byte[] encryptionSalt = NewSalt();
        byte[] macSalt = NewSalt();
        var encryptionKey = Derive(encryptionSalt);
        var macKey = Derive(macSalt);
        return new IronSealingKeys(encryptionSalt, encryptionKey, macSalt, macKey, Environment.TickCount64 + SealingInterval, generation);
    }

    private static byte[] NewSalt()
    {
        Span<byte> random = stackalloc byte[SaltByteCount];
        RandomNumberGenerator.Fill(random);
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(random));
    }
}
