using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Sealing;

/// <summary>
/// A session cookie is a plain iron token, so whatever the public <see cref="SessionsServerless.Iron.Seal"/> sealed with a
/// session key would open as a session. The public API refuses session keys; the middleware seals through its own path.
/// </summary>
public sealed class SessionKeySealTests
{
    private const string PreviousKey = "previous_session_key_for_seal_tests_xx";
    private const string OwnKey = "a_key_of_the_apps_own_tokens_at_least_32";
    private const string Forged = """{"_data":{"email":{"value":"admin@example.com","flash":false}},"_expire":null,"_delete":false,"_accessed":null}""";

    [Fact]
    public async Task Iron_Seal_refuses_the_current_and_the_previous_session_keys_without_repeating_them()
    {
        await using var app = await SessionTestApp.StartAsync(options => options.PreviousEncryptionKeys.Add(PreviousKey));

        foreach (string key in new[] { SessionTestApp.Key, PreviousKey })
        {
            var error = Assert.Throws<ArgumentException>(() => SessionsServerless.Iron.Seal(Forged, key));
            Assert.Contains("session key", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_string_sealed_with_another_key_does_not_open_as_a_session()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        client.Cookies["session"] = SessionsServerless.Iron.Seal(Forged, OwnKey);

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
        Assert.Equal("mine", SessionsServerless.Iron.Unseal(SessionsServerless.Iron.Seal("mine", OwnKey), OwnKey));
    }

    [Fact]
    public async Task The_session_cookie_still_opens_with_Iron_Unseal_and_the_session_key_as_hono_sessions_opens_it()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        string json = SessionsServerless.Iron.Unseal(client.SessionCookie!, SessionTestApp.Key);

        Assert.Contains("\"a@b.c\"", json, StringComparison.Ordinal);
    }
}
