using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.AspNetCore;

/// <summary><c>HttpContext.Session</c> (ASP.NET Core's ISession) over the same session, and the cookie policy.</summary>
public sealed class HttpContextSessionTests
{
    private static Task<KestrelApp> StartAsync(Action<SessionsOptions>? configure = null) =>
        SessionTestApp.StartAsync(configure, endpoints: app =>
        {
            app.MapPost("/isession/set/{key}/{value}", (HttpContext context, string key, string value) =>
            {
                context.Session.SetString(key, value);
                return "set";
            });
            app.MapGet("/isession/get/{key}", (HttpContext context, string key) => context.Session.GetString(key) ?? "<none>");
            app.MapPost("/isession/int/{key}/{value:int}", (HttpContext context, string key, int value) =>
            {
                context.Session.SetInt32(key, value);
                return "set";
            });
            app.MapGet("/isession/int/{key}", (HttpContext context, string key) => context.Session.GetInt32(key)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<none>");
            app.MapGet("/isession/keys", (HttpContext context) => string.Join(",", context.Session.Keys.Order(StringComparer.Ordinal)));
            app.MapPost("/isession/remove/{key}", (HttpContext context, string key) =>
            {
                context.Session.Remove(key);
                return "removed";
            });
            app.MapPost("/isession/clear", (HttpContext context) =>
            {
                context.Session.Clear();
                return "cleared";
            });
            app.MapGet("/isession/available", async (HttpContext context) =>
            {
                await context.Session.LoadAsync();
                return context.Session.IsAvailable ? "yes" : "no";
            });
        });

    [Fact]
    public async Task SetString_and_GetString_see_the_same_values_as_the_typed_api()
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();

        await client.PostAsync("/isession/set/email/a@b.c");
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));

        await client.PostAsync("/set/name/Zoë");
        Assert.Equal("Zoë", await client.GetStringAsync("/isession/get/name"));
        Assert.Equal("email,name", await client.GetStringAsync("/isession/keys"));
        Assert.Equal("yes", await client.GetStringAsync("/isession/available"));
    }

    [Theory]
    [InlineData(42)]
    [InlineData(200)]
    [InlineData(-1)]
    public async Task SetInt32_round_trips_whatever_bytes_it_writes(int value)
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();

        await client.PostAsync($"/isession/int/n/{value}");

        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), await client.GetStringAsync("/isession/int/n"));
    }

    [Fact]
    public async Task A_typed_number_reads_as_its_json_text_through_GetString()
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();
        await client.GetAsync("/count");

        Assert.Equal("1", await client.GetStringAsync("/isession/get/counter"));
    }

    [Fact]
    public async Task Remove_and_Clear_end_values_and_an_emptied_session_clears_its_cookie()
    {
        await using var app = await StartAsync();
        using var client = app.CreateClient();
        await client.PostAsync("/isession/set/a/1");
        await client.PostAsync("/isession/set/b/2");

        await client.PostAsync("/isession/remove/a");
        Assert.Equal("b", await client.GetStringAsync("/isession/keys"));
        await client.PostAsync("/isession/clear");

        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_string_set_through_ISession_reads_in_Hono_and_one_set_by_Hono_reads_through_GetString()
    {
        await using var hono = await HonoApp.StartAsync(SessionTestApp.Key);
        await using var dotnet = await StartAsync(options => options.ExpireAfter = TimeSpan.FromMinutes(15));
        using var honoClient = new CookieClient(hono.BaseAddress);
        using var dotnetClient = dotnet.CreateClient();

        await dotnetClient.PostAsync("/isession/set/email/from-dotnet@example.com");
        honoClient.Cookies["session"] = dotnetClient.SessionCookie!;
        Assert.Equal("from-dotnet@example.com", JsonNode.Parse(await honoClient.GetStringAsync("/get/email"))!["value"]!.GetValue<string>());

        await honoClient.GetStringAsync("/flash");
        dotnetClient.Cookies["session"] = honoClient.SessionCookie!;
        Assert.Equal("Hello from Hono", await dotnetClient.GetStringAsync("/isession/get/message"));
        Assert.Equal("<none>", await dotnetClient.GetStringAsync("/isession/get/message"));
    }

    [Fact]
    public async Task Without_consent_to_non_essential_cookies_no_session_cookie_is_sent_and_the_session_is_empty()
    {
        var appended = new List<string>();
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(options => options.EncryptionKey = SessionTestApp.Key);
                builder.Services.Configure<CookiePolicyOptions>(options =>
                {
                    options.CheckConsentNeeded = _ => true;
                    options.OnAppendCookie = context => appended.Add(context.CookieName);
                });
            },
            app =>
            {
                app.UseCookiePolicy();
                app.UseSessions();
                app.MapGet("/count", (Session session) =>
                {
                    int count = session.Get(SessionTestApp.Counter) + 1;
                    session.Set(SessionTestApp.Counter, count);
                    return count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                });
                app.MapGet("/consent", (HttpContext context) =>
                {
                    context.Features.Get<Microsoft.AspNetCore.Http.Features.ITrackingConsentFeature>()!.GrantConsent();
                    return "granted";
                });
            });
        using var client = app.CreateClient();

        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.DoesNotContain(client.LastSetCookies, cookie => cookie.StartsWith("session=", StringComparison.Ordinal));

        await client.GetAsync("/consent");
        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.Equal("2", await client.GetStringAsync("/count"));
        Assert.Contains("session", appended);
    }

    [Fact]
    public async Task An_essential_session_cookie_is_sent_without_consent_through_the_cookie_policy()
    {
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddSessions(options =>
                {
                    options.EncryptionKey = SessionTestApp.Key;
                    options.Cookie.IsEssential = true;
                });
                builder.Services.Configure<CookiePolicyOptions>(options =>
                {
                    options.CheckConsentNeeded = _ => true;
                    options.Secure = CookieSecurePolicy.None;
                    options.HttpOnly = HttpOnlyPolicy.Always;
                });
            },
            app =>
            {
                app.UseCookiePolicy();
                app.UseSessions();
                app.MapGet("/count", (Session session) =>
                {
                    int count = session.Get(SessionTestApp.Counter) + 1;
                    session.Set(SessionTestApp.Counter, count);
                    return count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                });
            });
        using var client = app.CreateClient();

        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.Single(client.LastSetCookies);
        Assert.Equal("2", await client.GetStringAsync("/count"));
    }
}
