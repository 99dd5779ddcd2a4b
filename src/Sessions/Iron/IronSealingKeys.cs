namespace SessionsServerless;

/// <summary>
/// The salts and derived keys a password seals with during one interval. iron draws fresh 256-bit salts for every token;
/// here they are drawn for every interval, and every token still gets its own random IV, so PBKDF2 runs twice per
/// interval instead of twice per token. The tokens are iron tokens in every respect.
/// </summary>
internal sealed class IronSealingKeys
{
    public IronSealingKeys(byte[] encryptionSalt, IronDerivedKey encryptionKey, byte[] macSalt, IronDerivedKey macKey, long validUntil, int generation)
    {
        Generation = generation;
        EncryptionSalt = encryptionSalt;
        EncryptionSaltText = System.Text.Encoding.ASCII.GetString(encryptionSalt);
        MacSaltText = System.Text.Encoding.ASCII.GetString(macSalt);
        EncryptionKey = encryptionKey;
        MacSalt = macSalt;
        MacKey = macKey;
        ValidUntil = validUntil;
    }

    /// <summary>The encryption salt as the token carries it: 64 lowercase hex characters, as ASCII bytes.</summary>
    public byte[] EncryptionSalt { get; }

    public string EncryptionSaltText { get; }

    public IronDerivedKey EncryptionKey { get; }

    /// <summary>The integrity salt as the token carries it.</summary>
    public byte[] MacSalt { get; }

    public string MacSaltText { get; }

    public IronDerivedKey MacKey { get; }

    /// <summary>The key for <paramref name="salt"/> if it is one of this pair's salts.</summary>
    public IronDerivedKey? Find(ReadOnlySpan<char> salt) =>
        salt.SequenceEqual(MacSaltText) ? MacKey : salt.SequenceEqual(EncryptionSaltText) ? EncryptionKey : null;

    /// <summary>When (<see cref="Environment.TickCount64"/>) a new pair must be drawn.</summary>
    public long ValidUntil { get; }

    /// <summary>The <see cref="CachedRandomness.Generation"/> the salts were drawn in; another one needs a new pair.</summary>
    public int Generation { get; }

    /// <summary>Whether this pair may still seal.</summary>
    public bool IsCurrent => Environment.TickCount64 < ValidUntil && Generation == CachedRandomness.Generation;
}
