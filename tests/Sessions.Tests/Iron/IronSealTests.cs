using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace SessionsServerless.Tests.Sealing;


public sealed class IronSealTests
{
    private const string Password = "password_at_least_32_characters_long";

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("{\"_data\":{},\"_expire\":null,\"_delete\":false,\"_accessed\":null}")]
    [InlineData("héllo wörld — 日本語 🎉 \" \\ \n \t \u0001 \u007f \u2028")]
    public void A_sealed_string_unseals_to_the_same_string(string value)
    {
        string token = Iron.Seal(value, Password);

        Assert.Equal(value, Iron.Unseal(token, Password));
    }

    [Fact]
    public void A_token_has_the_eight_parts_of_Fe26_2_with_hex_salts_and_no_password_id()
    {
        string[] parts = Iron.Seal("x", Password).Split('*');

        Assert.Equal(8, parts.Length);
        Assert.Equal("Fe26.2", parts[0]);
        Assert.Equal(string.Empty, parts[1]);
        Assert.Matches("^[0-9a-f]{64}$", parts[2]);
        Assert.Equal(22, parts[3].Length);
        Assert.Equal(string.Empty, parts[5]);
        Assert.Matches("^[0-9a-f]{64}$", parts[6]);
        Assert.Equal(43, parts[7].Length);
    }

    [Fact]
    public void Sealing_twice_gives_different_tokens()
    {
        Assert.NotEqual(Iron.Seal("same", Password), Iron.Seal("same", Password));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz01234")]               // 31 characters
    [InlineData("🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐")]                        // 30 UTF-16 units, 60 UTF-8 bytes
    [InlineData("")]
    public void Passwords_iron_refuses_are_refused(string password)
    {
        Assert.Throws<ArgumentException>(() => Iron.Seal("x", password));
        Assert.Throws<ArgumentException>(() => Iron.Unseal("Fe26.2**a*b*c**d*e", password));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]               // exactly 32
    [InlineData("🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐")]                       // 32 UTF-16 units
    [InlineData("üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü")]
    public void Passwords_of_32_UTF16_units_are_accepted(string password)
    {
        Assert.Equal("ok", Iron.Unseal(Iron.Seal("ok", password), password));
    }

    [Theory]
    [InlineData(2)] // encryption salt
    [InlineData(3)] // iv
    [InlineData(4)] // encrypted
    [InlineData(6)] // hmac salt
    [InlineData(7)] // hmac
    public void Changing_any_part_fails_the_integrity_check(int part)
    {
        string[] parts = Iron.Seal("secret", Password).Split('*');
        char[] chars = parts[part].ToCharArray();
        chars[0] = chars[0] == 'A' ? 'B' : 'A';
        parts[part] = new string(chars);

        var error = Assert.Throws<IronException>(() => Iron.Unseal(string.Join('*', parts), Password));

        Assert.Equal(IronUnsealError.BadMac, error.Error);
    }

    [Fact]
    public void A_token_sealed_with_another_password_fails_the_integrity_check()
    {
        string token = Iron.Seal("secret", "another_password_at_least_32_chars_long");

        Assert.Equal(IronUnsealError.BadMac, Assert.Throws<IronException>(() => Iron.Unseal(token, Password)).Error);
        Assert.False(Iron.TryUnseal(token, Password, out _));
    }

    [Theory]
    [InlineData("Fe26.1**a*b*c**d*e", IronUnsealError.WrongPrefix)]
    [InlineData("Fe26.2**a*b*c**d", IronUnsealError.Malformed)]
    [InlineData("Fe26.2**a*b*c**d*e*f", IronUnsealError.Malformed)]
    [InlineData("Fe26.2**a*b*c*12x*d*e", IronUnsealError.Malformed)]
    [InlineData("not a token", IronUnsealError.Malformed)]
    [InlineData("Fe26.2*otherid*a*b*c**d*e", IronUnsealError.UnknownPasswordId)]
    public void Malformed_tokens_are_refused_with_the_reason(string token, IronUnsealError expected)
    {
        Assert.Equal(expected, Assert.Throws<IronException>(() => Iron.Unseal(token, Password)).Error);
    }

    [Fact]
    public void A_truncated_hmac_fails_the_integrity_check()
    {
        string token = Iron.Seal("secret", Password);

        Assert.Equal(IronUnsealError.BadMac, Assert.Throws<IronException>(() => Iron.Unseal(token[..^5], Password)).Error);
    }

    [Fact]
    public void A_time_to_live_expires_after_the_sixty_second_skew_iron_allows()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        string token = Iron.Seal("short-lived", Password, TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(69));
        Assert.Equal("short-lived", Iron.Unseal(token, Password, clock));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IronUnsealError.Expired, Assert.Throws<IronException>(() => Iron.Unseal(token, Password, clock)).Error);
    }

    [Fact]
    public void The_expiration_is_part_of_the_integrity_check()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(60));
        string[] parts = Iron.Seal("x", Password, TimeSpan.FromSeconds(10), clock).Split('*');
        parts[5] = (long.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture) + 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(IronUnsealError.BadMac, Assert.Throws<IronException>(() => Iron.Unseal(string.Join('*', parts), Password, clock)).Error);
    }

    [Fact]
    public void A_token_whose_content_is_not_a_string_is_refused_by_the_string_api()
    {
        // What iron seals for the object {"a":1}: the payload is JSON, but not a JSON string.
        byte[] objectJson = Encoding.UTF8.GetBytes("{\"a\":1}");
        string token = IronCore.Seal(objectJson, new IronKey(Password));

        Assert.Equal(IronUnsealError.BadPayload, Assert.Throws<IronException>(() => Iron.Unseal(token, Password)).Error);
    }

    [Fact]
    public void Older_keys_of_a_keyring_unseal_and_say_which_key_matched()
    {
        var keyring = new IronKeyring([new IronKey("current_key_at_least_32_characters_xx"), new IronKey(Password)]);
        string token = Iron.Seal("rotated", Password);

        var error = SessionsServerless.Iron.UnsealString(token, keyring, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), out string? value, out int keyIndex);

        Assert.Equal(IronUnsealError.None, error);
        Assert.Equal("rotated", value);
        Assert.Equal(1, keyIndex);
    }
}
