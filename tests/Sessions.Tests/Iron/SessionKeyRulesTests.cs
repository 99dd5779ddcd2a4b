using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Sealing;

/// <summary>A long key can still be obviously weak, and a development key is not a secret: both are refused at startup.</summary>
public sealed class SessionKeyRulesTests
{
    private const string DevelopmentKey = "DEVELOPMENT-ONLY-key-for-session-key-rules-tests-0123";

    public static TheoryData<string, string> WeakKeys => new()
    {
        { new string('k', 32), "uses only 1 distinct characters" },
        { string.Concat(Enumerable.Repeat("0110", 10)), "uses only 2 distinct characters" },
        { "abcdefgabcdefgabcdefgabcdefgabcdefg", "uses only 7 distinct characters" },
        { "zzzzzzzz" + "q9Wv3LmT5xR2bN8kJ4hY6dP1", "repeats one character more than 7 times in a row" },
        { string.Concat(Enumerable.Repeat("Secret#12", 4)), "is a block of 9 characters repeated" },
        { string.Concat(Enumerable.Repeat("correct-horse-", 3)), "is a block of 14 characters repeated" },
    };

    [Theory]
    [MemberData(nameof(WeakKeys))]
    public async Task An_obviously_weak_key_stops_the_app_at_startup_without_repeating_it(string key, string reason)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionTestApp.StartAsync(options => options.EncryptionKey = key));

        Assert.Contains($"Sessions:EncryptionKey is too weak: it {reason}", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weak_previous_key_is_refused_too()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            SessionTestApp.StartAsync(options => options.PreviousEncryptionKeys.Add(new string('p', 40))));

        Assert.Contains("Sessions:PreviousEncryptionKeys:0 is too weak", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, false)] // openssl rand -base64 32: 44 characters
    [InlineData(48, false)] // openssl rand -base64 48: 64 characters
    [InlineData(24, false)] // 32 characters of base64
    [InlineData(16, true)]  // openssl rand -hex 16: 32 characters from 16
    [InlineData(32, true)]  // openssl rand -hex 32
    public void Random_keys_are_never_called_weak(int bytes, bool hex)
    {
        var random = new Random(20261201 + bytes + (hex ? 1 : 0));
        byte[] buffer = new byte[bytes];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            string key = hex ? Convert.ToHexStringLower(buffer) : Convert.ToBase64String(buffer);

            Assert.Null(SessionKeyRules.CheckStrength(key));
        }
    }

    [Theory]
    [InlineData(SessionTestApp.Key)]
    [InlineData("DEVELOPMENT-ONLY-key-do-not-use-in-production-0123456789")] // samples/LoginDemo
    [InlineData("DEVELOPMENT-ONLY-09a3487426e84a7997d2a2a8c9e07ab3")] // the templates' form
    [InlineData("lambda-tests-encryption-key-0123456789abcdef")]
    [InlineData("pässwörd-ünïcödé-€uro-日本語-🔐-key-long-enough")]
    public void Keys_people_use_that_are_not_obviously_weak_pass(string key)
    {
        Assert.Null(SessionKeyRules.CheckStrength(key));
    }

    [Fact]
    public async Task Outside_Development_a_development_key_stops_the_app_and_says_how_to_set_a_real_one()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionTestApp.StartAsync(options => options.EncryptionKey = DevelopmentKey));

        Assert.Contains("Sessions:EncryptionKey is a development key", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_a_development_previous_key_is_refused_too()
    {
        var result = Validate(Environments.Production, SessionTestApp.Key, DevelopmentKey);

        Assert.True(result.Failed);
        Assert.Contains("Sessions:PreviousEncryptionKeys:0 is a development key", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void In_Development_a_development_key_is_accepted()
    {
        Assert.True(Validate(Environments.Development, DevelopmentKey, DevelopmentKey + "-old").Succeeded);
    }

    [Fact]
    public void Without_a_host_environment_a_development_key_is_refused()
    {
        var validator = new SessionOptionsValidator(new ServiceCollection().BuildServiceProvider());

        Assert.True(validator.Validate(null, new SessionsOptions { EncryptionKey = DevelopmentKey }).Failed);
    }

    private static ValidateOptionsResult Validate(string environment, string key, string previous)
    {
        var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment })
            .BuildServiceProvider();
        var options = new SessionsOptions { EncryptionKey = key };
        options.PreviousEncryptionKeys.Add(previous);
        return new SessionOptionsValidator(services).Validate(null, options);
    }
}
