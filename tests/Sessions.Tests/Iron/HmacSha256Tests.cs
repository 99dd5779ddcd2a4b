using System.Security.Cryptography;

namespace SessionsServerless.Tests.Sealing;

/// <summary>The per-thread keyed HMAC contexts agree with the platform's one-shot HMAC-SHA256 whatever the order of keys.</summary>
public sealed class HmacSha256Tests
{
    [Fact]
    public void Keys_used_in_turn_each_give_their_own_MAC_past_the_contexts_a_thread_keeps()
    {
        // Six keys used round-robin, more than a thread keeps contexts for, so contexts are evicted and re-created while
        // others are reused; every MAC must still be the one HMAC-SHA256 gives for that key.
        var keys = Enumerable.Range(0, 6).Select(i => RandomNumberGenerator.GetBytes(32)).ToArray();
        byte[] data = RandomNumberGenerator.GetBytes(700);
        Span<byte> mac = stackalloc byte[HmacSha256.Length];
        for (int round = 0; round < 3; round++)
        {
            foreach (int index in new[] { 0, 1, 0, 2, 3, 4, 5, 1, 0 })
            {
                HmacSha256.Compute(keys[index], data, mac);
                Assert.Equal(HMACSHA256.HashData(keys[index], data), mac.ToArray());
            }
        }
    }
}
