using System.Text.Json.Nodes;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Interop;


/// <summary>Seals with our code and unseals with iron-webcrypto 1.2.1 (hono-sessions' crypto), and the reverse, live.</summary>
public sealed class IronWebCryptoInteropTests : IClassFixture<IronNode>
{
    private readonly IronNode _node;

    public IronWebCryptoInteropTests(IronNode node) => _node = node;

    public static TheoryData<string, string> Cases => new()
    {
        { "password_at_least_32_characters_long", "{\"_data\":{\"counter\":{\"value\":3,\"flash\":false}},\"_expire\":null,\"_delete\":false,\"_accessed\":null}" },
        { "abcdefghijklmnopqrstuvwxyz012345", "27201d3d-c7af-4ef7-a999-590daa44b501" },
        { "pässwörd-ünïcödé-€uro-日本語-🔐-key-long-enough", "Zoë Ångström — 日本語 🎉" },
        { "🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐", "quote\" backslash\\ nl\n tab\t ctrl\u0001 del\u007f <script>&'</script> ls\u2028ps\u2029" },
        { "c0ffee0123456789abcdef0123456789c0ffee0123456789abcdef0123456789", "aaaaaaaaaaaaaaa" },
        { "password_at_least_32_characters_long", "" },
        { "password_at_least_32_characters_long", new string('x', 3000) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task What_we_seal_iron_webcrypto_unseals(string password, string value)
    {
        string token = Iron.Seal(value, password);

        var (ok, result, error) = await _node.UnsealAsync(token, password);

        Assert.True(ok, error);
        Assert.Equal(value, result!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task What_iron_webcrypto_seals_we_unseal(string password, string value)
    {
        string token = await _node.SealAsync(JsonValue.Create(value), password);

        Assert.Equal(value, Iron.Unseal(token, password));
    }

    [Fact]
    public async Task A_token_iron_webcrypto_sealed_with_a_time_to_live_is_honoured()
    {
        string token = await _node.SealAsync(JsonValue.Create("ttl"), "password_at_least_32_characters_long", ttlMilliseconds: 3_600_000);

        Assert.Equal("ttl", Iron.Unseal(token, "password_at_least_32_characters_long"));
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));
        Assert.Equal(IronUnsealError.Expired, Assert.Throws<IronException>(() => Iron.Unseal(token, "password_at_least_32_characters_long", later)).Error);
    }

    [Fact]
    public async Task Iron_webcrypto_rejects_our_tokens_when_they_are_altered()
    {
        string token = Iron.Seal("secret", "password_at_least_32_characters_long");
        string altered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        var (ok, _, error) = await _node.UnsealAsync(altered, "password_at_least_32_characters_long");

        Assert.False(ok);
        Assert.Equal("Bad hmac value", error);
    }
}
