using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// The login demo on Kestrel with the DynamoDB store against dynalite: what a user does, what it costs in DynamoDB calls,
/// and what the table holds.
/// </summary>
public sealed class LoginDemoOnDynamoDbTests(DynaliteServer dynalite) : DynaliteTableTest(dynalite), IClassFixture<DynaliteServer>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero));

    [Fact]
    public async Task The_counter_lives_in_the_table_at_one_read_and_one_write_per_visit()
    {
        await using var demo = await StartDemoAsync(sealCookies: true);

        Assert.Equal(1, await Browser.CountAsync(demo));
        Assert.Equal(0, Calls["GetItem"]); // no cookie yet: nothing to read
        Assert.Equal(1, Calls["PutItem"]);

        Calls.Reset();
        Assert.Equal(2, await Browser.CountAsync(demo));
        Assert.Equal(1, Calls["GetItem"]);
        Assert.Equal(1, Calls["PutItem"]);
        Assert.Equal(2, Calls.Total);

        Assert.Single(await SessionTable.ScanAsync(Client, Table));
    }

    [Fact]
    public async Task A_read_only_request_within_the_renewal_threshold_costs_one_read_and_no_write()
    {
        await using var demo = await StartDemoAsync(sealCookies: true);
        await Browser.CountAsync(demo);
        string cookie = Browser.Cookie!;

        Calls.Reset();
        using (var response = await Browser.SendAsync(demo, HttpMethod.Get, "/read"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(SessionBrowser.SessionCookieSetBy(response));
        }

        Assert.Equal(1, Calls["GetItem"]);
        Assert.Equal(1, Calls.Total);

        // Past half of the hour-long idle window the same request renews the expiry: one read, one write.
        string expiryBefore = Assert.Single(await SessionTable.ScanAsync(Client, Table))["expiresAt"].N;
        _time.Advance(TimeSpan.FromMinutes(31));
        Calls.Reset();
        Assert.Equal(1, await Browser.ReadCounterAsync(demo));
        Assert.Equal(1, Calls["GetItem"]);
        Assert.Equal(1, Calls["PutItem"]);
        Assert.Equal(cookie, Browser.Cookie);
        string expiryAfter = Assert.Single(await SessionTable.ScanAsync(Client, Table))["expiresAt"].N;
        Assert.True(long.Parse(expiryAfter, System.Globalization.CultureInfo.InvariantCulture) - long.Parse(expiryBefore, System.Globalization.CultureInfo.InvariantCulture) >= 31 * 60);
    }

    [Fact]
    public async Task Login_moves_the_session_to_a_new_item_and_deletes_the_old_one()
    {
        await using var demo = await StartDemoAsync(sealCookies: true);
        using (var failed = await Browser.LoginAsync(demo, "ada@example.com", "wrong"))
        {
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        }

        string before = Browser.Cookie!;
        string oldKey = Assert.Single(await SessionTable.ScanAsync(Client, Table))["id"].S;

        Calls.Reset();
        using (var login = await Browser.LoginAsync(demo, "ada@example.com", LoginDemo.LoginEndpoints.CorrectPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        Assert.NotEqual(before, Browser.Cookie);
        Assert.Equal(1, Calls["GetItem"]);
        Assert.Equal(1, Calls["PutItem"]);
        Assert.Equal(1, Calls["DeleteItem"]);
        Assert.Equal(3, Calls.Total);
        var item = Assert.Single(await SessionTable.ScanAsync(Client, Table));
        Assert.NotEqual(oldKey, item["id"].S);
        Assert.Contains("ada@example.com", item["data"].S, StringComparison.Ordinal);

        string home = await Browser.GetStringAsync(demo, "/");
        Assert.Contains("Login Successful", home, StringComparison.Ordinal);
        Assert.Contains("ada@example.com", home, StringComparison.Ordinal);

        // The cookie from before the login opens nothing any more.
        using var stale = new SessionBrowser { Cookie = before };
        Assert.DoesNotContain("ada@example.com", await stale.GetStringAsync(demo, "/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_deletes_the_item_and_clears_the_cookie()
    {
        await using var demo = await StartDemoAsync(sealCookies: true);
        (await Browser.LoginAsync(demo, "ada@example.com", LoginDemo.LoginEndpoints.CorrectPassword)).Dispose();
        string loggedIn = Browser.Cookie!;

        Calls.Reset();
        using (var logout = await Browser.LogoutAsync(demo))
        {
            Assert.Equal(string.Empty, SessionBrowser.SessionCookieSetBy(logout));
        }

        Assert.Equal(1, Calls["GetItem"]);
        Assert.Equal(1, Calls["DeleteItem"]);
        Assert.Equal(2, Calls.Total);

        Assert.Null(Browser.Cookie);
        Assert.Empty(await SessionTable.ScanAsync(Client, Table));
        using var replay = new SessionBrowser { Cookie = loggedIn };
        Assert.DoesNotContain("ada@example.com", await replay.GetStringAsync(demo, "/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_holds_only_hashes_of_session_ids_and_a_hash_opens_no_session()
    {
        // Without an encryption key the cookie is the bare session id, so the test can see it.
        await using var demo = await StartDemoAsync(sealCookies: false);
        (await Browser.LoginAsync(demo, "ada@example.com", LoginDemo.LoginEndpoints.CorrectPassword)).Dispose();
        string sessionId = Browser.Cookie!;

        var item = Assert.Single(await SessionTable.ScanAsync(Client, Table));
        Assert.Equal(SessionTable.KeyOf(sessionId), item["id"].S);
        Assert.All(item.Values, value => Assert.DoesNotContain(sessionId, value.S ?? value.N, StringComparison.Ordinal));

        // Someone who reads the table and presents a key as a cookie gets a fresh, empty session.
        using var thief = new SessionBrowser { Cookie = item["id"].S };
        Assert.DoesNotContain("ada@example.com", await thief.GetStringAsync(demo, "/"), StringComparison.Ordinal);
        Assert.Contains("ada@example.com", await Browser.GetStringAsync(demo, "/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_sealed_cookie_gets_a_fresh_session_without_a_store_read()
    {
        await using var demo = await StartDemoAsync(sealCookies: true);
        await Browser.CountAsync(demo);
        await Browser.CountAsync(demo);
        string genuine = Browser.Cookie!;

        using var forger = new SessionBrowser { Cookie = Tamper(genuine) };
        Calls.Reset();
        Assert.Equal(1, await forger.CountAsync(demo));

        Assert.Equal(0, Calls["GetItem"]);
        Assert.Equal(1, Calls["PutItem"]); // the forger's new session
        Assert.NotEqual(genuine, forger.Cookie);
        Assert.Equal(3, await Browser.CountAsync(demo));
    }

    [Fact]
    public async Task A_tampered_bare_id_reads_as_an_unknown_session_and_a_malformed_one_is_not_looked_up()
    {
        await using var demo = await StartDemoAsync(sealCookies: false);
        await Browser.CountAsync(demo);
        string genuine = Browser.Cookie!;

        using var guesser = new SessionBrowser { Cookie = Tamper(genuine) };
        Calls.Reset();
        Assert.Equal(1, await guesser.CountAsync(demo));
        Assert.Equal(1, Calls["GetItem"]); // a well-formed id is looked up, and not found

        using var malformed = new SessionBrowser { Cookie = "short" };
        Calls.Reset();
        Assert.Equal(1, await malformed.CountAsync(demo));
        Assert.Equal(0, Calls["GetItem"]);

        Assert.Equal(2, await Browser.CountAsync(demo));
    }

    [Fact]
    public async Task An_expired_session_is_replaced_by_a_fresh_one_although_its_item_is_still_in_the_table()
    {
        await using var demo = await StartDemoAsync(sealCookies: true, "--Sessions:ExpireAfterSeconds=60");
        await Browser.CountAsync(demo);
        Assert.Equal(2, await Browser.CountAsync(demo));
        string expired = Browser.Cookie!;

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(1, await Browser.CountAsync(demo));
        Assert.NotEqual(expired, Browser.Cookie);
        // dynalite has no Time to Live and DynamoDB's runs late: the old item is still there, and ignored.
        Assert.Equal(2, (await SessionTable.ScanAsync(Client, Table)).Count);
    }

    [Fact]
    public async Task Logs_never_contain_a_session_id_a_key_or_a_cookie()
    {
        await using var demo = await StartDemoAsync(sealCookies: false);
        await Browser.CountAsync(demo);
        string firstId = Browser.Cookie!;
        (await Browser.LoginAsync(demo, "ada@example.com", LoginDemo.LoginEndpoints.CorrectPassword)).Dispose();
        string secondId = Browser.Cookie!;
        using (var guesser = new SessionBrowser { Cookie = Tamper(secondId) })
        {
            await guesser.CountAsync(demo);
        }

        (await Browser.LogoutAsync(demo)).Dispose();

        string logs = demo.AllLogText();
        Assert.Contains("Session id regenerated.", logs, StringComparison.Ordinal); // the collector sees the session logs
        foreach (string secret in new[] { firstId, secondId, SessionTable.KeyOf(firstId), SessionTable.KeyOf(secondId) })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private Task<DemoServer> StartDemoAsync(bool sealCookies, params string[] settings) =>
        DemoServer.StartOnDynamoDbAsync(
            Client,
            Table,
            sealCookies ? [$"--Sessions:EncryptionKey={DemoServer.EncryptionKey}", .. settings] : settings,
            builder => builder.Services.AddSingleton<TimeProvider>(_time));

    /// <summary>Changes one character in the middle of a cookie value, keeping it well-formed.</summary>
    private static string Tamper(string cookie)
    {
        int middle = cookie.Length / 2;
        char replacement = cookie[middle] == 'A' ? 'B' : 'A';
        return string.Concat(cookie.AsSpan(0, middle), replacement.ToString(), cookie.AsSpan(middle + 1));
    }
}
