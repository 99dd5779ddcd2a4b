using System.Security.Cryptography;

namespace SessionsServerless.Tests.Sealing;

/// <summary>
/// Salts are chosen by whoever sends a token. A forged token must cost no memory that outlives the request and no key
/// derivation unless its salts look like iron's; only a token whose MAC verified leaves its salts in the cache.
/// </summary>
public sealed class ForgedSaltTests
{
    private static readonly string[] Passwords =
    [
        "current_key_for_forged_salt_tests_xx",
        "previous_key_one_for_forged_salt_tests",
        "previous_key_two_for_forged_salt_tests",
    ];

    private const string Iv = "AAAAAAAAAAAAAAAAAAAAAA";
    private const string Mac = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public void Forged_tokens_with_well_formed_salts_leave_nothing_in_the_cache_of_any_key()
    {
        var keyring = NewKeyring();

        for (int i = 0; i < 500; i++)
        {
            string token = $"Fe26.2**{RandomSalt()}*{Iv}*AAAAAAAAAAAAAAAAAAAAAA**{RandomSalt()}*{Mac}";
            Assert.Equal(IronUnsealError.BadMac, Unseal(token, keyring));
        }

        Assert.All(keyring.Keys, key => Assert.Equal(0, key.CachedSaltCount));
    }

    public static TheoryData<string, string> SaltsIronDoesNotWrite => new()
    {
        { "empty", "" },
        { "63 hex characters", new string('a', 63) },
        { "65 hex characters", RandomSalt() + "0" },
        { "a huge salt", new string('f', 20_000) },
        { "uppercase hex", RandomSalt().ToUpperInvariant() },
        { "not hex", new string('g', 64) },
        { "non-ASCII", "é" + RandomSalt()[1..] },
    };

    [Theory]
    [MemberData(nameof(SaltsIronDoesNotWrite))]
    public void A_salt_iron_does_not_write_is_refused_without_deriving_a_key(string kind, string salt)
    {
        _ = kind;
        var keyring = NewKeyring();

        Assert.Equal(IronUnsealError.BadMac, Unseal($"Fe26.2**{RandomSalt()}*{Iv}*AAAA**{salt}*{Mac}", keyring));
        Assert.Equal(IronUnsealError.BadMac, Unseal($"Fe26.2**{salt}*{Iv}*AAAA**{RandomSalt()}*{Mac}", keyring));

        Assert.All(keyring.Keys, key => Assert.Equal(0, key.SaltDerivationCount));
        Assert.All(keyring.Keys, key => Assert.Equal(0, key.CachedSaltCount));
    }

    [Fact]
    public void A_token_sealed_by_another_instance_is_cached_once_it_verified_and_then_costs_no_derivation()
    {
        var otherInstance = new IronKey(Passwords[1]);
        string token = SessionsServerless.Iron.SealString("from another instance", otherInstance);
        var keyring = NewKeyring();
        var matching = keyring.Keys[1];

        Assert.Equal(IronUnsealError.None, Unseal(token, keyring));
        long derivationsAfterFirst = matching.SaltDerivationCount;
        Assert.Equal(2, matching.CachedSaltCount); // its MAC salt and its encryption salt
        Assert.Equal(0, keyring.Keys[0].CachedSaltCount); // the key that did not verify keeps nothing

        Assert.Equal(IronUnsealError.None, Unseal(token, keyring));
        Assert.Equal(derivationsAfterFirst, matching.SaltDerivationCount);
    }

    [Fact]
    public void The_cache_of_verified_salts_stays_bounded()
    {
        var keyring = new IronKeyring([new IronKey(Passwords[0])]);

        for (int i = 0; i < 1100; i++)
        {
            // A new IronKey of the same password draws new salts: a token from another instance, every time.
            string token = SessionsServerless.Iron.SealString("x", new IronKey(Passwords[0]));
            Assert.Equal(IronUnsealError.None, Unseal(token, keyring));
        }

        Assert.InRange(keyring.Current.CachedSaltCount, 1, 1024);
    }

    private static IronKeyring NewKeyring() => new([.. Passwords.Select(password => new IronKey(password))]);

    private static IronUnsealError Unseal(string token, IronKeyring keyring) =>
        SessionsServerless.Iron.UnsealString(token, keyring, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), out _, out _);

    private static string RandomSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
