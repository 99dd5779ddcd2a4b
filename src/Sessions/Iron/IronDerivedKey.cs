namespace SessionsServerless;

/// <summary>A key derived from a password and a salt (PBKDF2-HMAC-SHA1, one iteration, 32 bytes), ready for AES and HMAC.</summary>
internal sealed class IronDerivedKey
{
    private AesCbc256? _cipher;

    public IronDerivedKey(byte[] key) => Key = key;

    public byte[] Key { get; }

    /// <summary>The AES-256-CBC cipher for this key, with its schedule expanded on first use.</summary>
    public AesCbc256 Cipher => _cipher ??= new AesCbc256(Key);
}
