using System.Buffers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SessionsServerless.Tests.Conformance;

/// <summary>
/// Every token in ../shared/fixtures/iron/vectors.json, sealed by iron-webcrypto 1.2.1: valid ones unseal to their exact
/// plaintext, session ones load as sessions, tampered ones are refused for the same reason iron refuses them, and refused
/// passwords are refused.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class IronVectorConformanceTests
{
    public static TheoryData<string> Valid => SharedFixtures.Names("vectors");

    public static TheoryData<string> Tampered => SharedFixtures.Names("tampered");

    public static TheoryData<string> RejectedPasswords => SharedFixtures.Names("rejectedPasswords");

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_vector_unseals_to_its_plaintext_and_its_exact_JSON(string name)
    {
        var vector = SharedFixtures.Entry("vectors", name);
        string password = vector["password"]!.GetValue<string>();
        string sealedValue = vector["sealed"]!.GetValue<string>();
        string plaintext = vector["plaintext"]!.GetValue<string>();
        string encryptedJson = vector["encryptedJson"]!.GetValue<string>();
        Assert.Equal(vector["passwordUtf16Length"]!.GetValue<int>(), password.Length);

        Assert.Equal(plaintext, Iron.Unseal(sealedValue, password));

        var error = IronCore.Unseal(sealedValue, new IronKeyring(password), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), out byte[]? payload, out int length, out _);
        Assert.Equal(IronUnsealError.None, error);
        Assert.Equal(encryptedJson, Encoding.UTF8.GetString(payload!, 0, length));
        ArrayPool<byte>.Shared.Return(payload!);

        // What we would seal for the same plaintext is byte for byte what iron-webcrypto encrypted (JSON.stringify).
        byte[] utf8 = Encoding.UTF8.GetBytes(plaintext);
        byte[] literal = new byte[JsonStringLiteral.GetMaxLength(utf8.Length)];
        Assert.Equal(encryptedJson, Encoding.UTF8.GetString(literal, 0, JsonStringLiteral.Write(utf8, literal)));

        // And our seal of it opens again to the same plaintext.
        Assert.Equal(plaintext, Iron.Unseal(Iron.Seal(plaintext, password), password));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task A_session_vector_loads_as_the_session_it_holds(string name)
    {
        var vector = SharedFixtures.Entry("vectors", name);
        string plaintext = vector["plaintext"]!.GetValue<string>();
        if (!plaintext.StartsWith("{\"_data\"", StringComparison.Ordinal))
        {
            Assert.NotNull(plaintext); // Not a session: covered by the unseal test above.
            return;
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var persistence = new CookieSessionPersistence(new IronKeyring(vector["password"]!.GetValue<string>()), clock);

        var loaded = await persistence.LoadAsync(vector["sealed"]!.GetValue<string>().AsMemory(), default);

        Assert.Null(loaded.Rejection);
        var expected = SessionJson.Read(Encoding.UTF8.GetBytes(plaintext))!;
        Assert.Equal(expected.Entries.Keys.Order(), loaded.Data!.Entries.Keys.Order());
        foreach (var (key, entry) in expected.Entries)
        {
            Assert.Equal(Encoding.UTF8.GetString(entry.Json.Span), Encoding.UTF8.GetString(loaded.Data.Entries[key].Json.Span));
            Assert.Equal(entry.IsFlash, loaded.Data.Entries[key].IsFlash);
        }

        Assert.Equal(expected.ExpiresAt, loaded.Data.ExpiresAt);
        Assert.Equal(expected.IsDeleted, loaded.Data.IsDeleted);
    }

    [Theory]
    [MemberData(nameof(Tampered))]
    public void A_tampered_vector_is_refused_for_the_reason_iron_gives(string name)
    {
        var vector = SharedFixtures.Entry("tampered", name);
        var expected = vector["error"]!.GetValue<string>() switch
        {
            "Bad hmac value" => IronUnsealError.BadMac,
            "Wrong mac prefix" => IronUnsealError.WrongPrefix,
            "Incorrect number of sealed components" => IronUnsealError.Malformed,
            "Expired seal" => IronUnsealError.Expired,
            var other when other.StartsWith("Cannot find password", StringComparison.Ordinal) => IronUnsealError.UnknownPasswordId,
            var other => throw new InvalidOperationException("Unexpected error in vectors.json: " + other),
        };

        var error = Assert.Throws<IronException>(() => Iron.Unseal(vector["sealed"]!.GetValue<string>(), vector["password"]!.GetValue<string>()));

        Assert.Equal(expected, error.Error);
    }

    [Theory]
    [MemberData(nameof(RejectedPasswords))]
    public void A_password_iron_refuses_is_refused_here_too(string name)
    {
        var vector = SharedFixtures.Entry("rejectedPasswords", name);
        string password = vector["password"]!.GetValue<string>();
        Assert.Equal(vector["utf16Length"]!.GetValue<int>(), password.Length);

        Assert.Throws<ArgumentException>(() => Iron.Seal("x", password));
        var validation = new SessionOptionsValidator(new ServiceCollection().BuildServiceProvider())
            .Validate(null, new SessionsOptions { EncryptionKey = password });
        Assert.True(validation.Failed);
        Assert.Contains("Sessions:EncryptionKey", validation.FailureMessage, StringComparison.Ordinal);
    }
}
