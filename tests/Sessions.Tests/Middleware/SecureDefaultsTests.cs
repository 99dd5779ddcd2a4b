using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>An idle expiry by default, and cookies that cannot claim more time than the settings allow.</summary>
public sealed class SecureDefaultsTests
{
    private static string Seal(Action<SessionData> shape)
    {
        var data = new SessionData();
        data.Entries["counter"] = new SessionEntry("7"u8.ToArray(), false);
        shape(data);
        return CookieSessionPersistence.Seal(data, new IronKey(SessionTestApp.Key));
    }

    [Fact]
    public void The_idle_expiry_is_20_minutes_unless_configured_and_0_seconds_turns_it_off()
    {
        var services = new ServiceCollection();
        services.AddSessions(options => options.EncryptionKey = SessionTestApp.Key);
        Assert.Equal(TimeSpan.FromMinutes(20), services.BuildServiceProvider().GetRequiredService<IOptions<SessionsOptions>>().Value.ExpireAfter);

        var off = new SessionsOptions { ExpireAfterSeconds = 0 };
        Assert.Null(off.ExpireAfter);
        Assert.Equal(0, off.ExpireAfterSeconds);
    }

    [Fact]
    public async Task With_no_expiry_configured_a_session_expires_after_20_idle_minutes()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(clock: clock);
        using var client = app.CreateClient();
        await client.GetAsync("/count");

        clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal("1", await client.GetStringAsync("/counter"));
        clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task A_cookie_without_an_expiry_is_expired_while_an_idle_expiry_is_on()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(clock: clock);
        using var client = app.CreateClient();
        client.Cookies["session"] = Seal(data => data.LastAccessed = clock.GetUtcNow());

        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_that_says_when_it_expires_but_not_when_it_was_saved_is_expired()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(clock: clock);
        using var client = app.CreateClient();
        client.Cookies["session"] = Seal(data => data.ExpiresAt = clock.GetUtcNow().AddMinutes(5));

        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task A_cookie_that_claims_a_later_expiry_than_the_setting_allows_is_clamped_to_it()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfter = TimeSpan.FromMinutes(10), clock);
        using var client = app.CreateClient();
        client.Cookies["session"] = Seal(data =>
        {
            data.LastAccessed = clock.GetUtcNow();
            data.ExpiresAt = clock.GetUtcNow().AddYears(10);
        });

        Assert.Equal("7", await client.GetStringAsync("/counter"));
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task With_an_absolute_lifetime_a_cookie_without_a_creation_time_is_expired_and_one_from_the_future_is_clamped()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.AbsoluteLifetime = TimeSpan.FromHours(1), clock);
        using var client = app.CreateClient();
        var expires = clock.GetUtcNow().AddMinutes(5);

        client.Cookies["session"] = Seal(data =>
        {
            data.LastAccessed = clock.GetUtcNow();
            data.ExpiresAt = expires;
        });
        Assert.Equal("<none>", await client.GetStringAsync("/counter"));

        client.Cookies["session"] = Seal(data =>
        {
            data.LastAccessed = clock.GetUtcNow();
            data.ExpiresAt = expires;
            data.CreatedAt = clock.GetUtcNow().AddYears(5);
        });
        Assert.Equal("8", await client.GetStringAsync("/count"));
        for (int i = 0; i < 6; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(9));
            await client.GetAsync("/count");
        }

        Assert.Equal("14", await client.GetStringAsync("/counter"));
        clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
    }
}
