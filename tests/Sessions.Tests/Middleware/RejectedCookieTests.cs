using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Bad cookies give a fresh session and a cleared cookie, never an error; keys rotate without logging anyone out.</summary>
public sealed class RejectedCookieTests
{
    public static TheoryData<string, string> BadCookies => new()
    {
        { "tampered", "TAMPER" },
        { "malformed", "not-an-iron-token" },
        { "malformed", "Fe26.2**only*four" },
        { "tampered", "Fe26.2**" + new string('a', 64) + "*AAAAAAAAAAAAAAAAAAAAAA*AAAA**" + new string('b', 64) + "*" + new string('c', 43) },
        { "unknown_key", "Fe26.2*otherkey*" + new string('a', 64) + "*AAAAAAAAAAAAAAAAAAAAAA*AAAA**" + new string('b', 64) + "*" + new string('c', 43) },
        { "oversize", new string('x', 5000) },
    };

    [Theory]
    [MemberData(nameof(BadCookies))]
    public async Task A_bad_cookie_gives_a_fresh_session_and_is_cleared(string reason, string cookie)
    {
        await using var app = await SessionTestApp.StartAsync();
        using var collector = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SessionMetrics.MeterName, "sessions.rejected");
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        client.Cookies["session"] = cookie == "TAMPER" ? Tamper(client.SessionCookie!) : cookie;

        using var response = await client.GetAsync("/get/email");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<none>", await response.Content.ReadAsStringAsync());
        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal(reason, measurement.Tags["reason"]);
    }

    [Fact]
    public async Task A_fresh_session_replacing_a_bad_cookie_is_saved_when_the_request_writes()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        client.Cookies["session"] = "garbage";

        Assert.Equal("1", await client.GetStringAsync("/count"));

        Assert.StartsWith("session=Fe26.2", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        Assert.Equal("2", await client.GetStringAsync("/count"));
    }

    [Fact]
    public async Task A_cookie_sealed_with_another_apps_key_is_not_accepted()
    {
        string foreign = Iron.Seal("""{"_data":{"email":{"value":"admin@x","flash":false}},"_expire":null,"_delete":false,"_accessed":null}""", "someone_elses_key_at_least_32_characters");
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        client.Cookies["session"] = foreign;

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task A_cookie_sealed_with_a_previous_key_is_accepted_and_re_sealed_with_the_current_key()
    {
        const string OldKey = "the_old_key_that_is_at_least_32_characters";
        await using var before = await SessionTestApp.StartAsync(options => options.EncryptionKey = OldKey);
        using var client = before.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string sealedWithOldKey = client.SessionCookie!;

        await using var after = await SessionTestApp.StartAsync(options =>
        {
            options.EncryptionKey = SessionTestApp.Key;
            options.PreviousEncryptionKeys.Add(OldKey);
        });
        using var rotated = after.CreateClient();
        rotated.Cookies["session"] = sealedWithOldKey;

        Assert.Equal("a@b.c", await rotated.GetStringAsync("/get/email"));
        Assert.Single(rotated.LastSetCookies);
        Assert.False(Iron.TryUnseal(rotated.SessionCookie!, OldKey, out _));
        Assert.True(Iron.TryUnseal(rotated.SessionCookie!, SessionTestApp.Key, out _));
        Assert.Equal("a@b.c", await rotated.GetStringAsync("/get/email"));
        Assert.Empty(rotated.LastSetCookies);
    }

    private static string Tamper(string token)
    {
        string[] parts = token.Split('*');
        char[] encrypted = parts[4].ToCharArray();
        encrypted[5] = encrypted[5] == 'A' ? 'B' : 'A';
        parts[4] = new string(encrypted);
        return string.Join('*', parts);
    }
}
