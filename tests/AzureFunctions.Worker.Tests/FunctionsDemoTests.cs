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
