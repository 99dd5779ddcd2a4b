using System.Net;
using SessionsServerless.AzureFunctions.Worker.Tests.Support;

namespace SessionsServerless.AzureFunctions.Worker.Tests;

/// <summary>samples/FunctionsDemo through the local host: LoginDemo's routes at the root (host.json routePrefix "").</summary>
[Collection(WorkerAppsCollection.Name)]
public sealed class FunctionsDemoTests
{
    private readonly WorkerApps _apps;

    public FunctionsDemoTests(WorkerApps apps)
    {
        _apps = apps;
    }

    [Fact]
    public async Task The_demo_serves_the_login_page_the_counter_and_read_at_the_root()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Demo, new Dictionary<string, string> { ["Sessions__Store"] = "memory" }, "/read");
        Assert.Equal("", host.RoutePrefix);
        using var browser = Browser.Create(host.BaseAddress);

        using (var page = await browser.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            string html = await page.Content.ReadAsStringAsync();
            Assert.Contains("id=\"login\"", html, StringComparison.Ordinal);
            Assert.Empty(Browser.SetCookies(page));
        }

        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 2 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("{\"counter\":2}", await browser.GetStringAsync("/read"));
    }

    [Fact]
    public async Task Bare_cookie_reads_no_store_sets_no_session_cookie_and_works_while_the_store_is_down()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Demo, StoreDown.TableSettings(), "/bare-cookie");
        using var client = Browser.CreateWithoutCookieJar(host.BaseAddress);
        string cookie = "session=" + StoreDown.SomeSessionId();

        using var bare = new HttpRequestMessage(HttpMethod.Get, "bare-cookie");
        bare.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(bare);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("You have visited this page 0 times", await response.Content.ReadAsStringAsync());
        Assert.Empty(Browser.SetCookies(response));
        Assert.Single(Browser.SetCookies(response, "bare"));

        // The store really is down for a function that reads the session.
        using var counter = new HttpRequestMessage(HttpMethod.Get, "counter");
        counter.Headers.Add("Cookie", cookie);
        using var failed = await client.SendAsync(counter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
    }

    [Fact]
    public async Task Logging_in_redirects_to_the_page_with_the_flash_message_and_a_new_session_id()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Demo, new Dictionary<string, string> { ["Sessions__Store"] = "memory" }, "/read");
        var cookies = new CookieContainer();
        using var browser = Browser.Create(host.BaseAddress, cookies);
        using (var failed = await browser.PostAsync("/login", new FormUrlEncodedContent([new("email", "a@b.c"), new("password", "wrong")])))
        {
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        }

        string before = cookies.GetCookies(host.BaseAddress)["session"]!.Value;
        using (var login = await browser.PostAsync("/login", new FormUrlEncodedContent([new("email", "a@b.c"), new("password", "correct")])))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/", login.Headers.Location?.OriginalString);
        }

        Assert.NotEqual(before, cookies.GetCookies(host.BaseAddress)["session"]!.Value);
        string html = await browser.GetStringAsync("/");
        Assert.Contains("Login Successful", html, StringComparison.Ordinal);
        Assert.Contains("Log out a@b.c", html, StringComparison.Ordinal);
    }
}
