using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace SessionsServerless;

/// <summary>
/// AES-256-CBC with PKCS#7 padding for one key. On x86 with AES-NI the key schedule is expanded once and every block runs
/// on the AES instructions (constant time, no native call per operation); elsewhere it uses
/// <see cref="System.Security.Cryptography.Aes"/>.
/// </summary>
internal sealed class AesCbc256
{
    public const int BlockSize = 16;
    private const int Rounds = 14;

    [ThreadStatic]
    private static (AesCbc256? Owner, System.Security.Cryptography.Aes? Aes) t_fallback;

    private readonly byte[] _key;
    private readonly Vector128<byte>[]? _encryptionKeys;
    private readonly Vector128<byte>[]? _decryptionKeys;

    public AesCbc256(byte[] key)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, 32, nameof(key));
        _key = key;
        if (IsAccelerated)
        {
            _encryptionKeys = ExpandKey(key);
            _decryptionKeys = InvertKeys(_encryptionKeys);
        }
    }

    public static bool IsAccelerated => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>The ciphertext length for <paramref name="plaintextLength"/> bytes (padding always adds 1 to 16 bytes).</summary>
    public static int GetCiphertextLength(int plaintextLength) => ((plaintextLength / BlockSize) + 1) * BlockSize;

    public int Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        int length = GetCiphertextLength(plaintext.Length);
        if (_encryptionKeys is not { } keys)
        {
            return Fallback().EncryptCbc(plaintext, iv, destination, PaddingMode.PKCS7);
        }

        Vector128<byte> chain = Vector128.Create(iv);
        int full = plaintext.Length / BlockSize * BlockSize;
        for (int offset = 0; offset < full; offset += BlockSize)
        {
            chain = EncryptBlock(Vector128.Create(plaintext.Slice(offset, BlockSize)) ^ chain, keys);
            chain.CopyTo(destination.Slice(offset, BlockSize));
        }

        Span<byte> last = stackalloc byte[BlockSize];
        int remainder = plaintext.Length - full;
        plaintext[full..].CopyTo(last);
        last[remainder..].Fill((byte)(BlockSize - remainder));
        chain = EncryptBlock(Vector128.Create((ReadOnlySpan<byte>)last) ^ chain, keys);
        chain.CopyTo(destination.Slice(full, BlockSize));
        return length;
    }

    /// <summary>Decrypts; returns <see langword="false"/> for a length that is not whole blocks or for bad padding.</summary>
    public bool TryDecrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> iv, Span<byte> destination, out int written)
    {
        written = 0;
        if (ciphertext.IsEmpty || ciphertext.Length % BlockSize != 0 || iv.Length != BlockSize)
        {
            return false;
        }

        if (_decryptionKeys is not { } keys)
        {
            try
            {
                return Fallback().TryDecryptCbc(ciphertext, iv, destination, out written, PaddingMode.PKCS7);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        // Unlike encryption, CBC decryption has no chain between the block ciphers: four blocks go through the rounds
        // together, so the AES unit's latency is paid once per four blocks instead of once per block.
        Vector128<byte> chain = Vector128.Create(iv);
        int offset = 0;
        for (; offset + (4 * BlockSize) <= ciphertext.Length; offset += 4 * BlockSize)
        {
            var c0 = Vector128.Create(ciphertext.Slice(offset, BlockSize));
            var c1 = Vector128.Create(ciphertext.Slice(offset + BlockSize, BlockSize));
            var c2 = Vector128.Create(ciphertext.Slice(offset + (2 * BlockSize), BlockSize));
            var c3 = Vector128.Create(ciphertext.Slice(offset + (3 * BlockSize), BlockSize));
            DecryptFourBlocks(c0, c1, c2, c3, keys, out var p0, out var p1, out var p2, out var p3);
            (p0 ^ chain).CopyTo(destination.Slice(offset, BlockSize));
            (p1 ^ c0).CopyTo(destination.Slice(offset + BlockSize, BlockSize));
            (p2 ^ c1).CopyTo(destination.Slice(offset + (2 * BlockSize), BlockSize));
            (p3 ^ c2).CopyTo(destination.Slice(offset + (3 * BlockSize), BlockSize));
            chain = c3;
        }

        for (; offset < ciphertext.Length; offset += BlockSize)
        {
            var block = Vector128.Create(ciphertext.Slice(offset, BlockSize));
            (DecryptBlock(block, keys) ^ chain).CopyTo(destination.Slice(offset, BlockSize));
            chain = block;
        }

        int pad = destination[ciphertext.Length - 1];
        if (pad is < 1 or > BlockSize)
        {
            return false;
        }

        // The MAC was checked before decryption, so no padding oracle exists; still check in one pass.
        int bad = 0;
        for (int i = ciphertext.Length - pad; i < ciphertext.Length; i++)
        {
            bad |= destination[i] ^ pad;
        }

        written = ciphertext.Length - pad;
        return bad == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncryptBlock(Vector128<byte> block, Vector128<byte>[] keys)
    {
        block ^= keys[0];
        for (int round = 1; round < Rounds; round++)
        {
            block = X86Aes.Encrypt(block, keys[round]);
        }

        return X86Aes.EncryptLast(block, keys[Rounds]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> DecryptBlock(Vector128<byte> block, Vector128<byte>[] keys)
    {
        block ^= keys[0];
        for (int round = 1; round < Rounds; round++)
        {
            block = X86Aes.Decrypt(block, keys[round]);
        }

        return X86Aes.DecryptLast(block, keys[Rounds]);
    }

    /// <summary>The AES-256 key schedule (FIPS-197 section 5.2), with AESKEYGENASSIST (whose round constant must be a literal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DecryptFourBlocks(
        Vector128<byte> b0, Vector128<byte> b1, Vector128<byte> b2, Vector128<byte> b3, Vector128<byte>[] keys,
        out Vector128<byte> p0, out Vector128<byte> p1, out Vector128<byte> p2, out Vector128<byte> p3)
    {
        var key = keys[0];
        b0 ^= key;
        b1 ^= key;
        b2 ^= key;
        b3 ^= key;
        for (int round = 1; round < Rounds; round++)
        {
            key = keys[round];
            b0 = X86Aes.Decrypt(b0, key);
            b1 = X86Aes.Decrypt(b1, key);
            b2 = X86Aes.Decrypt(b2, key);
            b3 = X86Aes.Decrypt(b3, key);
        }

        key = keys[Rounds];
        p0 = X86Aes.DecryptLast(b0, key);
        p1 = X86Aes.DecryptLast(b1, key);
        p2 = X86Aes.DecryptLast(b2, key);
        p3 = X86Aes.DecryptLast(b3, key);
    }

    private static Vector128<byte>[] ExpandKey(ReadOnlySpan<byte> key)
    {
        var keys = new Vector128<byte>[Rounds + 1];
        var even = Vector128.Create(key[..16]);
        var odd = Vector128.Create(key[16..]);
        keys[0] = even;
        keys[1] = odd;
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x01), keys, 2);
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x02), keys, 4);
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x04), keys, 6);
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x08), keys, 8);
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x10), keys, 10);
        NextPair(ref even, ref odd, X86Aes.KeygenAssist(odd, 0x20), keys, 12);
        even = ChainWords(even) ^ Sse2.Shuffle(X86Aes.KeygenAssist(odd, 0x40).AsInt32(), 0xFF).AsByte();
        keys[14] = even;
        return keys;
    }

    /// <summary>
    /// Two round keys: the even one takes RotWord, SubWord and the round constant of the odd block's last word (broadcast
    /// from the assist); the odd one takes SubWord of the new even block's last word.
    /// </summary>
    private static void NextPair(ref Vector128<byte> even, ref Vector128<byte> odd, Vector128<byte> assist, Vector128<byte>[] keys, int index)
    {
        even = ChainWords(even) ^ Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        keys[index] = even;
        odd = ChainWords(odd) ^ Sse2.Shuffle(X86Aes.KeygenAssist(even, 0x00).AsInt32(), 0xAA).AsByte();
        keys[index + 1] = odd;
    }

    /// <summary>w0, w0^w1, w0^w1^w2, w0^w1^w2^w3: each word xored with all words before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ChainWords(Vector128<byte> block)
    {
        block ^= Sse2.ShiftLeftLogical128BitLane(block, 4);
        block ^= Sse2.ShiftLeftLogical128BitLane(block, 8);
        return block;
    }

    /// <summary>The equivalent inverse cipher's schedule (FIPS-197 section 5.3.5).</summary>
    private static Vector128<byte>[] InvertKeys(Vector128<byte>[] encryption)
    {
        var keys = new Vector128<byte>[Rounds + 1];
        keys[0] = encryption[Rounds];
        for (int round = 1; round < Rounds; round++)
        {
            keys[round] = X86Aes.InverseMixColumns(encryption[Rounds - round]);
        }

        keys[Rounds] = encryption[0];
        return keys;
    }

    private System.Security.Cryptography.Aes Fallback()
    {
        var (owner, aes) = t_fallback;
        aes ??= System.Security.Cryptography.Aes.Create();
        if (!ReferenceEquals(owner, this))
        {
            aes.SetKey(_key);
            t_fallback = (this, aes);
        }

        return aes;
    }
}
