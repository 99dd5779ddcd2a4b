using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Duplicate cookies, rotated ids in parallel requests, caching, oversize sessions.</summary>
public sealed class CookieEdgeCaseTests
{
    [Fact]
    public async Task Of_several_cookies_with_the_sessions_name_the_one_that_opens_is_used()
    {
        await using var app = await SessionTestApp.StartAsync();
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/kept");
        string valid = client.SessionCookie!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/get/a");
        request.Headers.Add("Cookie", "session=Fe26.2**tossed-in-by-a-subdomain; other=1; session=" + valid);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await http.SendAsync(request);

        Assert.Equal("kept", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_parallel_request_still_carrying_an_id_rotated_a_moment_ago_does_not_clear_the_new_cookie()
    {
        await using var app = await SessionTestApp.StartAsync(options => options.Store = SessionStoreNames.Memory);
        using var browser = app.CreateClient();
        await browser.PostAsync("/set/user/ann");
        using var slowTab = app.CreateClient();
        slowTab.Cookies["session"] = browser.SessionCookie!;

        await browser.PostAsync("/rotate");
        Assert.Equal("<none>", await slowTab.GetStringAsync("/get/user"));

        Assert.Empty(slowTab.LastSetCookies);
        Assert.Equal("ann", await browser.GetStringAsync("/get/user"));
    }

    [Theory]
    [InlineData("public, max-age=600", 600)]
    [InlineData("max-age=60, s-maxage=600", 60)]
    [InlineData("private, max-age=60", 60)]
    public async Task A_response_that_sets_the_cookie_is_never_publicly_cacheable(string appCacheControl, int maxAge)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await SessionTestApp.StartAsync(
            endpoints: app => app.MapGet("/cached", (HttpContext context, Session session) =>
            {
                context.Response.Headers.CacheControl = appCacheControl;
                session.Set(SessionTestApp.Counter, 1);
                return "ok";
            }),
            logger: logs);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/cached");
        Assert.Single(client.LastSetCookies);
        client.Cookies.Clear();
        await client.GetAsync("/cached");

        var sent = response.Headers.CacheControl!;
        Assert.True(sent.Private);
        Assert.False(sent.Public);
        Assert.Null(sent.SharedMaxAge);
        Assert.Equal(TimeSpan.FromSeconds(maxAge), sent.MaxAge);
        int expectedWarnings = appCacheControl.StartsWith("private", StringComparison.Ordinal) ? 0 : 1;
        Assert.Equal(expectedWarnings, logs.Records.Count(record => record.Message.Contains("made 'private'", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_session_too_large_for_its_cookie_answers_500_without_retry_after_and_the_browser_keeps_its_cookie()
    {
        await using var app = await SessionTestApp.StartAsync(endpoints: app => app.MapPost("/huge", (Session session) =>
        {
            session.Set(new SessionKey<string>("huge"), new string('x', 5000));
            return Results.Empty;
        }));
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        string cookie = client.SessionCookie!;

        using var response = await client.PostAsync("/huge");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal(cookie, client.SessionCookie);
        Assert.Equal("1", await client.GetStringAsync("/get/a"));
    }
}
