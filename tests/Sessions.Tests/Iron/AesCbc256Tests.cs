using System.Security.Cryptography;

namespace SessionsServerless.Tests.Sealing;

/// <summary>The AES-NI AES-256-CBC agrees with the platform's AES on every length, key and IV.</summary>
public sealed class AesCbc256Tests
{
    [Fact]
    public void The_machine_running_CI_takes_the_accelerated_path()
    {
        // Not a requirement of the library (it falls back), but the benchmarks assume it; say so when it changes.
        Assert.True(AesCbc256.IsAccelerated, "This machine has no AES-NI; the fallback path is the one under test.");
    }

    [Fact]
    public void Encrypts_and_decrypts_exactly_as_the_platform_AES_does()
    {
        var random = new Random(20261123);
        using var reference = Aes.Create();
        for (int length = 0; length <= 200; length++)
        {
            byte[] key = new byte[32];
            byte[] iv = new byte[16];
            byte[] plaintext = new byte[length];
            random.NextBytes(key);
            random.NextBytes(iv);
            random.NextBytes(plaintext);
            reference.Key = key;
            var aes = new AesCbc256(key);

            byte[] expected = reference.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
            byte[] actual = new byte[AesCbc256.GetCiphertextLength(length)];
            Assert.Equal(expected.Length, aes.Encrypt(plaintext, iv, actual));
            Assert.Equal(expected, actual);

            byte[] decrypted = new byte[actual.Length];
            Assert.True(aes.TryDecrypt(actual, iv, decrypted, out int written));
            Assert.Equal(plaintext, decrypted[..written]);
        }
    }

    [Fact]
    public void Matches_the_FIPS_197_AES_256_example()
    {
        // FIPS-197 appendix C.3: one block, encrypted with CBC and a zero IV, is plain AES-256.
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] plaintext = Convert.FromHexString("00112233445566778899aabbccddeeff");
        byte[] output = new byte[32];

        new AesCbc256(key).Encrypt(plaintext, new byte[16], output);

        Assert.Equal("8ea2b7ca516745bfeafc49904b496089", Convert.ToHexStringLower(output[..16]));
    }

    [Fact]
    public void Bad_padding_and_partial_blocks_are_refused()
    {
        var aes = new AesCbc256(new byte[32]);
        byte[] iv = new byte[16];
        byte[] buffer = new byte[64];

        Assert.False(aes.TryDecrypt(new byte[15], iv, buffer, out _));
        Assert.False(aes.TryDecrypt([], iv, buffer, out _));
        Assert.False(aes.TryDecrypt(new byte[16], iv, buffer, out _)); // zero key and block decrypt to random padding
    }
}
