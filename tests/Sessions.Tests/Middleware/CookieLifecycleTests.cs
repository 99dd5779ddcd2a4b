using Microsoft.AspNetCore.Builder;
using System.Net;
using Microsoft.AspNetCore.Http;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>What the browser sees of the cookie store: when a cookie is set, re-set, cleared, and with what attributes.</summary>
public sealed class CookieLifecycleTests
{
    [Fact]
    public async Task A_visitor_whose_session_holds_nothing_gets_no_cookie()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();

        Assert.Equal("nothing", await client.GetStringAsync("/nothing"));
        Assert.Empty(client.LastSetCookies);
        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
        Assert.Empty(client.LastSetCookies);
        using var touched = await client.PostAsync("/touch");
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task A_new_session_sets_exactly_one_cookie_with_safe_defaults()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/count");

        string cookie = Assert.Single(client.LastSetCookies);
        Assert.StartsWith("session=Fe26.2**", cookie, StringComparison.Ordinal);
        Assert.EndsWith("; path=/; samesite=lax; httponly", cookie, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_session_carries_values_from_request_to_request()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();

        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.Equal("2", await client.GetStringAsync("/count"));
        Assert.Equal("3", await client.GetStringAsync("/count"));
        Assert.Single(client.LastSetCookies);
    }

    [Fact]
    public async Task A_flash_value_is_shown_once()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        await client.PostAsync("/flash/message/Welcome");

        Assert.Equal("Welcome", await client.GetStringAsync("/get/message"));
        Assert.Equal("<none>", await client.GetStringAsync("/get/message"));
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task A_session_whose_last_value_is_forgotten_ends_and_its_cookie_is_cleared()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        await client.PostAsync("/forget/email");

        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        Assert.Null(client.SessionCookie);
    }

    [Fact]
    public async Task Delete_expires_the_cookie_with_the_same_path_and_domain_and_the_next_request_starts_afresh()
    {
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.Cookie.Path = "/";
            options.Cookie.Domain = "example.test";
        });
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string oldCookie = client.SessionCookie!;

        using var response = await client.PostAsync("/delete");

        string cleared = Assert.Single(client.LastSetCookies);
        Assert.StartsWith("session=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; domain=example.test; path=/", cleared, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task Nothing_later_in_the_request_can_resurrect_a_deleted_session()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: web => web.MapPost("/delete-then-set", (Session session) =>
        {
            session.Delete();
            try
            {
                session.Set(new SessionKey<string>("email"), "back");
                return "resurrected";
            }
            catch (InvalidOperationException)
            {
                return "refused";
            }
        }));
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        using var response = await client.PostAsync("/delete-then-set");

        Assert.Equal("refused", await response.Content.ReadAsStringAsync());
        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task Cookie_attributes_follow_the_options()
    {
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.Cookie.Name = "__Host-sid";
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.None;
            options.Cookie.Partitioned = true;
            options.Cookie.MaxAge = TimeSpan.FromHours(2);
        });
        using var client = app.CreateClient();

        await client.GetAsync("/count");

        string cookie = Assert.Single(client.LastSetCookies);
        Assert.StartsWith("__Host-sid=Fe26.2**", cookie, StringComparison.Ordinal);
        Assert.EndsWith("; max-age=7200; path=/; samesite=none; httponly; partitioned; secure", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_decides_caching_by_setting_its_own_Cache_Control_or_turning_the_option_off()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: web => web.MapGet("/private", (Microsoft.AspNetCore.Http.HttpContext context, Session session) =>
        {
            context.Response.Headers.CacheControl = "private, max-age=60";
            session.Set(SessionTestApp.Counter, 1);
            return "ok";
        }));
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/private");
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl.MaxAge);
        Assert.False(response.Headers.CacheControl.NoStore);

        await using var optedOut = await SessionTestApp.StartAsync(options => options.NoStoreWhenCookieIsWritten = false);
        using var other = optedOut.CreateClient();
        using var plain = await other.GetAsync("/count");
        Assert.Null(plain.Headers.CacheControl);
    }

    [Fact]
    public async Task A_session_too_large_for_a_cookie_fails_the_request_and_keeps_the_previous_cookie()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: web =>
        {
            web.MapPost("/big", (Session session) =>
            {
                session.Set(new SessionKey<string>("big"), new string('x', 5000));
                return Microsoft.AspNetCore.Http.Results.Redirect("/");
            });
        });
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string before = client.SessionCookie!;

        // The exception reaches the app's error handling; Kestrel answers 500 without a Set-Cookie.
        using var response = await client.PostAsync("/big");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal(before, client.SessionCookie);
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public void The_oversize_exception_says_the_size_and_suggests_a_server_store()
    {
        var error = new SessionTooLargeException(5123, 4096);

        Assert.Contains("5123 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("server store", error.Message, StringComparison.Ordinal);
        Assert.Equal(5123, error.CookieSize);
        Assert.Equal((5123, 4096, "cookie"), (error.Size, error.Limit, error.Store));
    }

    [Fact]
    public async Task A_change_after_the_response_started_throws_instead_of_being_lost()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: web => web.MapGet("/late", async (Microsoft.AspNetCore.Http.HttpContext context, Session session) =>
        {
            session.Set(SessionTestApp.Counter, 1);
            await context.Response.WriteAsync("started ");
            try
            {
                session.Set(SessionTestApp.Counter, 2);
                await context.Response.WriteAsync("lost");
            }
            catch (InvalidOperationException error) when (error.Message.Contains("response has started", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync("refused");
            }
        }));
        using var client = app.CreateClient();

        Assert.Equal("started refused", await client.GetStringAsync("/late"));
        Assert.Equal("2", await client.GetStringAsync("/count"));
    }

    [Fact]
    public async Task An_endpoint_that_throws_saves_nothing()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: web => web.MapGet("/fail", (Session session) =>
        {
            session.Set(SessionTestApp.Counter, 100);
            throw new InvalidOperationException("endpoint failure");
        }));
        using var client = app.CreateClient();
        await client.GetAsync("/count");

        using var failed = await client.GetAsync("/fail");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal("2", await client.GetStringAsync("/count"));
    }
}
