using System.Net;
using System.Net.Http.Json;

namespace SessionsApp.Tests;

/// <summary>What a visitor sees: the session follows them from request to request, and only them.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task Visits_are_counted_in_each_visitors_own_session()
    {
        await using var app = await TestApp.StartAsync();
        using var visitor = app.CreateBrowser();
        using var otherVisitor = app.CreateBrowser();

        Assert.Equal(1, (await GetHomeAsync(visitor)).Visits);
        Assert.Equal(2, (await GetHomeAsync(visitor)).Visits);
        Assert.Equal(1, (await GetHomeAsync(otherVisitor)).Visits);
        Assert.Equal(3, (await GetHomeAsync(visitor)).Visits);
    }

    [Fact]
    public async Task Signing_in_rotates_the_session_cookie_and_signing_out_ends_the_session()
    {
        await using var app = await TestApp.StartAsync();
        var cookies = new CookieContainer();
        using var visitor = app.CreateBrowser(cookies);
        await GetHomeAsync(visitor);
        string before = SessionCookie(cookies, app.Address);

        using var signIn = await visitor.PostAsJsonAsync("/sign-in", new SignInRequest("Ada"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.NotEqual(before, SessionCookie(cookies, app.Address));
        Assert.Equal(new VisitSummary(2, "Ada"), await GetHomeAsync(visitor));

        using var signOut = await visitor.PostAsync("/sign-out", content: null);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Empty(cookies.GetCookies(app.Address));
        Assert.Equal(new VisitSummary(1, null), await GetHomeAsync(visitor));
    }

    [Fact]
    public async Task A_tampered_cookie_starts_a_new_session()
    {
        await using var app = await TestApp.StartAsync();
        var cookies = new CookieContainer();
        using var visitor = app.CreateBrowser(cookies);
        await GetHomeAsync(visitor);
        await GetHomeAsync(visitor);

        var cookie = cookies.GetCookies(app.Address).Single();
        cookie.Value = cookie.Value[..^4] + (cookie.Value.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        Assert.Equal(1, (await GetHomeAsync(visitor)).Visits);
    }

    [Fact]
    public async Task Signing_in_without_a_name_is_a_bad_request()
    {
        await using var app = await TestApp.StartAsync();
        using var visitor = app.CreateBrowser();

        using var response = await visitor.PostAsJsonAsync("/sign-in", new SignInRequest(" "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<VisitSummary> GetHomeAsync(HttpClient visitor) =>
        (await visitor.GetFromJsonAsync<VisitSummary>("/"))!;

    private static string SessionCookie(CookieContainer cookies, Uri address) => cookies.GetCookies(address).Single().Value;
}
