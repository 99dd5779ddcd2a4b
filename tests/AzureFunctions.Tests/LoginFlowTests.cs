using System.Net;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The published demo under the emulated Functions host, used through its public HTTPS address as in Azure: the login
/// flow with a cookie jar, Secure cookies and redirects, sessions in the memory store.
/// </summary>
[Collection(PublishedDemoCollection.Name)]
public sealed class LoginFlowTests : IAsyncLifetime
{
    private static readonly Uri PublicAddress = new("https://sessions-demo.azurewebsites.net/");

    private readonly PublishedDemo _demo;
    private CustomHandlerProcess _app = null!;

    public LoginFlowTests(PublishedDemo demo)
    {
        _demo = demo;
    }

    public async Task InitializeAsync()
    {
        int otherPort = FunctionsHost.FindFreePort();
        _app = await _demo.StartAsync(new Dictionary<string, string>
        {
            ["Sessions__Store"] = "memory",
            // The host's own environment carries ASPNETCORE_URLS; the handler must listen on its port only.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{otherPort}",
        });
        OtherPort = otherPort;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private int OtherPort { get; set; }

    [Fact]
    public async Task The_login_flow_works_through_the_host_with_Secure_cookies_under_forwarded_HTTPS()
    {
        var browser = new PublicBrowser(_app.Host, PublicAddress, RequestOrigin.Azure);

        // A failed attempt: counted, and its flash error shown exactly once.
        using (var failed = await browser.PostFormAsync("/login", Form("someone@example.com", "wrong")))
        {
            Assert.Equal(HttpStatusCode.Found, failed.StatusCode);
            Assert.Equal("/", failed.Headers.Location!.OriginalString);
            Assert.Equal(new Uri("https://sessions-demo.azurewebsites.net/"), new Uri(PublicAddress, failed.Headers.Location));
        }

        string cookieHeader = Assert.Single(browser.LastSetCookies);
        Assert.StartsWith("session=", cookieHeader, StringComparison.Ordinal);
        Assert.Contains("; secure", cookieHeader, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookieHeader, StringComparison.OrdinalIgnoreCase);
        string anonymousCookie = browser.Cookie("session")!;

        string page = await browser.GetPageAsync("/");
        Assert.Contains("Incorrect username or password", page, StringComparison.Ordinal);
        Assert.Contains("Failed login attempts: 1", page, StringComparison.Ordinal);
        page = await browser.GetPageAsync("/");
        Assert.DoesNotContain("Incorrect username or password", page, StringComparison.Ordinal);
        Assert.Contains("Failed login attempts: 1", page, StringComparison.Ordinal);

        // Login: a new session id (the cookie changes), the attempts forgotten, a flash message once.
        using (var login = await browser.PostFormAsync("/login", Form("someone@example.com", "correct")))
        {
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            Assert.Equal("/", login.Headers.Location!.OriginalString);
        }

        Assert.Contains("; secure", Assert.Single(browser.LastSetCookies), StringComparison.OrdinalIgnoreCase);
        string loggedInCookie = browser.Cookie("session")!;
        Assert.NotEqual(anonymousCookie, loggedInCookie);
        page = await browser.GetPageAsync("/");
        Assert.Contains("Login Successful", page, StringComparison.Ordinal);
        Assert.Contains("Log out someone@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed login attempts", page, StringComparison.Ordinal);
        page = await browser.GetPageAsync("/");
        Assert.DoesNotContain("Login Successful", page, StringComparison.Ordinal);
        Assert.Contains("Log out someone@example.com", page, StringComparison.Ordinal);

        // The pre-login id was rotated away: replaying it shows no login.
        var replay = new PublicBrowser(_app.Host, PublicAddress, RequestOrigin.Azure);
        replay.SetCookie("session", anonymousCookie);
        Assert.DoesNotContain("Log out", await replay.GetPageAsync("/"), StringComparison.Ordinal);

        // Logout: the cookie is cleared and the stored session is gone, even for a copy of the cookie.
        using (var logout = await browser.PostFormAsync("/logout", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
            Assert.Equal("/", logout.Headers.Location!.OriginalString);
        }

        Assert.Contains("max-age=0", Assert.Single(browser.LastSetCookies), StringComparison.OrdinalIgnoreCase);
        Assert.Null(browser.Cookie("session"));
        Assert.Contains("id=\"login\"", await browser.GetPageAsync("/"), StringComparison.Ordinal);
        replay.SetCookie("session", loggedInCookie);
        Assert.DoesNotContain("Log out", await replay.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_func_start_over_plain_http_the_cookie_is_not_Secure()
    {
        var browser = new PublicBrowser(_app.Host, new Uri("http://localhost:7071/"), RequestOrigin.LocalFuncStart);

        using var response = await browser.PostFormAsync("/login", Form("local@example.com", "correct"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        string cookie = Assert.Single(browser.LastSetCookies);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Log out local@example.com", await browser.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handler_listens_on_the_host_port_only()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        using var onHostPort = await http.GetAsync(_app.Host.HandlerAddress);
        Assert.Equal(HttpStatusCode.OK, onHostPort.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{OtherPort}/"));
        Assert.Contains($"Now listening on: http://127.0.0.1:{_app.Host.Port}", _app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_whose_body_the_host_dropped_gets_a_clear_400_not_a_500()
    {
        // The host copies a body only when Content-Length is positive, so a chunked login form arrives without its body.
        var browser = new PublicBrowser(_app.Host, PublicAddress, RequestOrigin.Azure);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login");

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Dictionary<string, string> Form(string email, string password) => new() { ["email"] = email, ["password"] = password };
}
