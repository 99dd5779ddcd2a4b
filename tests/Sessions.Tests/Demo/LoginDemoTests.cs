using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Demo;

/// <summary>The demo's behaviour over HTTP, as the hono-sessions demo behaves, on the cookie and memory stores.</summary>
public sealed class LoginDemoTests
{
    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_whole_login_flow_works(string store)
    {
        await using var app = await LoginDemoHost.StartAsync(store);
        using var client = app.CreateClient();

        var page = await PageAsync(client);
        Assert.Contains("<title>SessionsServerless Session Demo</title>", page.Html, StringComparison.Ordinal);
        Assert.True(page.ShowsLoginForm);
        Assert.Empty(client.LastSetCookies);

        await LoginAsync(client, "test@test.com", "incorrect");
        page = await PageAsync(client);
        Assert.Equal("Incorrect username or password", page.Error);
        Assert.Equal("Failed login attempts: 1", page.FailedLoginAttempts);

        page = await PageAsync(client);
        Assert.Null(page.Error);
        Assert.Equal("Failed login attempts: 1", page.FailedLoginAttempts);

        await LoginAsync(client, "test@test.com", "wrong");
        page = await PageAsync(client);
        Assert.Equal("Failed login attempts: 2", page.FailedLoginAttempts);

        string beforeLogin = client.SessionCookie!;
        await LoginAsync(client, "test@test.com", "correct");
        Assert.NotEqual(beforeLogin, client.SessionCookie);
        page = await PageAsync(client);
        Assert.Equal("Login Successful", page.Message);
        Assert.Equal("Log out test@test.com", page.LogoutButton);
        Assert.Null(page.FailedLoginAttempts);

        page = await PageAsync(client);
        Assert.Null(page.Message);
        Assert.Equal("Log out test@test.com", page.LogoutButton);

        using (var logout = await client.PostAsync("/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        }

        page = await PageAsync(client);
        Assert.True(page.ShowsLoginForm);
        await LoginAsync(client, "test@test.com", "incorrect");
        page = await PageAsync(client);
        Assert.Equal("Incorrect username or password", page.Error);
        Assert.Equal("Failed login attempts: 1", page.FailedLoginAttempts);
    }

    [Fact]
    public async Task A_session_id_known_before_login_is_useless_after_it()
    {
        await using var app = await LoginDemoHost.StartAsync("memory");
        using var client = app.CreateClient();
        await LoginAsync(client, "victim@test.com", "wrong");
        string planted = client.SessionCookie!;

        await LoginAsync(client, "victim@test.com", "correct");

        using var attacker = app.CreateClient();
        attacker.Cookies["session"] = planted;
        var page = await PageAsync(attacker);
        Assert.True(page.ShowsLoginForm);
        Assert.Null(page.LogoutButton);
    }

    [Fact]
    public async Task An_email_containing_markup_is_shown_as_text()
    {
        await using var app = await LoginDemoHost.StartAsync("cookie");
        using var client = app.CreateClient();

        await LoginAsync(client, "<script>alert('x')</script>@test.com", "correct");
        var page = await PageAsync(client);

        Assert.DoesNotContain("<script>", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page.Html, StringComparison.Ordinal);
        Assert.Equal("Log out <script>alert('x')</script>@test.com", page.LogoutButton);
    }

    [Fact]
    public async Task A_tampered_cookie_gives_a_fresh_session()
    {
        await using var app = await LoginDemoHost.StartAsync("cookie");
        using var client = app.CreateClient();
        await LoginAsync(client, "test@test.com", "correct");
        client.Cookies["session"] = client.SessionCookie![..^4] + "AAAA";

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(new LoginPageReader(await response.Content.ReadAsStringAsync()).ShowsLoginForm);
    }

    [Fact]
    public async Task The_counter_counts_and_read_returns_it_as_JSON_without_re_sealing()
    {
        await using var app = await LoginDemoHost.StartAsync("cookie");
        using var client = app.CreateClient();

        Assert.Equal("You have visited this page 1 times", await client.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 2 times", await client.GetStringAsync("/counter"));
        using var read = await client.GetAsync("/read");

        Assert.Equal("application/json; charset=utf-8", read.Content.Headers.ContentType?.ToString());
        Assert.Equal("{\"counter\":2}", await read.Content.ReadAsStringAsync());
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task Bare_cookie_reads_no_store_sets_no_session_cookie_and_works_while_the_store_is_down()
    {
        var store = new ScriptedStore(new MemoryStore(TimeProvider.System, Options.Create(new MemoryStoreOptions())));
        await using var app = await LoginDemoHost.StartAsync(
            "scripted",
            builder => builder.Services.AddKeyedSingleton<ISessionStore>("scripted", store));
        using var client = app.CreateClient();
        Assert.Equal("You have visited this page 1 times", await client.GetStringAsync("/counter"));
        string session = client.SessionCookie!;
        store.ResetCounts();
        store.Failure = new SessionStoreException("down");

        using var bare = await client.GetAsync("/bare-cookie");

        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("You have visited this page 0 times", await bare.Content.ReadAsStringAsync());
        string setCookie = Assert.Single(client.LastSetCookies);
        Assert.StartsWith("bare=", setCookie, StringComparison.Ordinal);
        Assert.Equal(session, client.SessionCookie);
        Assert.Equal(0, store.Gets + store.Sets + store.Deletes);

        // The store really is down for a route that reads the session.
        using var counter = await client.GetAsync("/counter");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, counter.StatusCode);
    }

    [Fact]
    public async Task Login_without_a_form_is_a_bad_request()
    {
        await using var app = await LoginDemoHost.StartAsync("cookie");
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task In_production_the_demo_refuses_to_start_without_a_key_and_says_how_to_set_one()
    {
        var app = LoginDemo.LoginDemoApp.Build(["--urls=http://127.0.0.1:0", "--environment=Production"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Sessions:EncryptionKey is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    private static async Task<LoginPageReader> PageAsync(CookieClient client) => new(await client.GetStringAsync("/"));

    private static async Task LoginAsync(CookieClient client, string email, string password)
    {
        using var response = await client.PostAsync("/login", new Dictionary<string, string> { ["email"] = email, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
        Assert.True(client.LastSetCookies.Count <= 1, "At most one Set-Cookie per response.");
    }
}
