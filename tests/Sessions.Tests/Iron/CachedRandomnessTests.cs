namespace SessionsServerless.Tests.Sealing;

/// <summary>
/// What a host whose memory is copied (a SnapStart snapshot restored again and again) needs from the core: after
/// <see cref="CachedRandomness.Forget"/> a key seals with salts drawn afresh, while cookies sealed before still open.
/// </summary>
public sealed class CachedRandomnessTests
{
    [Fact]
    public void Each_restore_from_one_snapshot_state_seals_with_salts_of_its_own_and_earlier_tokens_still_open()
    {
        var key = new IronKey("cached-randomness-tests-password-0123456789");
        var snapshot = key.SealingKeys;
        Assert.Same(snapshot, key.SealingKeys);

        CachedRandomness.Forget();
        var firstRestore = key.SealingKeys;
        CachedRandomness.Forget();
        var secondRestore = key.SealingKeys;

        string[] salts = [snapshot.EncryptionSaltText, firstRestore.EncryptionSaltText, secondRestore.EncryptionSaltText, snapshot.MacSaltText, firstRestore.MacSaltText, secondRestore.MacSaltText];
        Assert.Equal(salts.Length, salts.Distinct(StringComparer.Ordinal).Count());
        Assert.Same(secondRestore, key.SealingKeys);

        // A token sealed with the salts before the last restore still derives the key it was sealed with.
        Assert.Same(firstRestore.EncryptionKey, key.Derive(firstRestore.EncryptionSaltText));
    }
}
