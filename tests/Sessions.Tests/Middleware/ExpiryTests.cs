using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Idle expiry, renewal without writes, touch, and the absolute lifetime, on a clock the tests control.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task A_read_only_request_within_half_the_idle_window_re_seals_nothing()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfter = TimeSpan.FromMinutes(60), clock);
        using var client = app.CreateClient();
        await client.GetAsync("/count");
        string issued = client.SessionCookie!;

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("1", await client.GetStringAsync("/counter"));
        Assert.Empty(client.LastSetCookies);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("1", await client.GetStringAsync("/counter"));
        Assert.Single(client.LastSetCookies);
        Assert.NotEqual(issued, client.SessionCookie);
    }

    [Fact]
    public async Task A_renewal_threshold_of_zero_re_seals_on_every_request_as_hono_sessions_does()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.ExpireAfter = TimeSpan.FromMinutes(60);
            options.RenewalThreshold = 0;
        }, clock);
        using var client = app.CreateClient();
        await client.GetAsync("/count");

        clock.Advance(TimeSpan.FromSeconds(1));
        await client.GetAsync("/counter");

        Assert.Single(client.LastSetCookies);
    }

    [Fact]
    public async Task An_idle_session_expires_and_a_fresh_one_takes_its_place()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfterSeconds = 600, clock);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activity_keeps_a_session_alive_past_its_first_expiry()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfterSeconds = 600, clock);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        for (int i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(6));
            Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
        }
    }

    [Fact]
    public async Task Without_automatic_extension_reads_do_not_extend_but_touch_and_writes_do()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.ExpireAfterSeconds = 600;
            options.AutoExtendExpiration = false;
        }, clock);
        using var reader = app.CreateClient();
        await reader.PostAsync("/set/email/a@b.c");
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("a@b.c", await reader.GetStringAsync("/get/email"));
        Assert.Empty(reader.LastSetCookies);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("<none>", await reader.GetStringAsync("/get/email"));

        using var toucher = app.CreateClient();
        await toucher.PostAsync("/set/email/b@c.d");
        clock.Advance(TimeSpan.FromMinutes(6));
        await toucher.PostAsync("/touch");
        Assert.Single(toucher.LastSetCookies);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("b@c.d", await toucher.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task Touch_within_the_threshold_costs_no_write()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfterSeconds = 600, clock);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        clock.Advance(TimeSpan.FromMinutes(1));
        await client.PostAsync("/touch");

        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_even_an_active_session_and_survives_rotation()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.ExpireAfterSeconds = 600;
            options.AbsoluteLifetimeSeconds = 1800;
            options.Store = SessionStoreNames.Memory;
        }, clock);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        for (int i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(7));
            await client.PostAsync("/rotate");
            Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
        }

        clock.Advance(TimeSpan.FromMinutes(3)); // 31 minutes after creation, 3 after the last write
        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task A_session_marked_deleted_by_hono_sessions_is_not_resumed()
    {
        // Iron.Seal refuses a session key; the internal path seals what hono-sessions would have written.
        string token = SessionsServerless.Iron.SealString("""{"_data":{"email":{"value":"a@b.c","flash":false}},"_expire":null,"_delete":true,"_accessed":null}""", new IronKey(SessionTestApp.Key));
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        client.Cookies["session"] = token;

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }
}
