using System.Net;
using System.Net.Http.Json;

namespace SessionsApp.Tests;

/// <summary>What a visitor sees: the session follows them from request to request, and only them.</summary>
public sealed class FunctionTests
{
    [Fact]
    public async Task Visits_are_counted_in_each_visitors_own_session()
    {
        await using var app = await FunctionsTestApp.StartAsync();
        using var visitor = app.CreateBrowser();
        using var otherVisitor = app.CreateBrowser();

        Assert.Equal(1, (await GetHomeAsync(visitor)).Visits);
        Assert.Equal(2, (await GetHomeAsync(visitor)).Visits);
        Assert.Equal(1, (await GetHomeAsync(otherVisitor)).Visits);
    }

    [Fact]
    public async Task Signing_in_rotates_the_session_cookie_and_signing_out_ends_the_session()
    {
        await using var app = await FunctionsTestApp.StartAsync();
        var cookies = new CookieContainer();
        using var visitor = app.CreateBrowser(cookies);
        await GetHomeAsync(visitor);
        string before = cookies.GetCookies(app.Address)["session"]!.Value;

        using (var signIn = await visitor.PostAsJsonAsync("/sign-in", new { name = "Ada" }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        Assert.NotEqual(before, cookies.GetCookies(app.Address)["session"]!.Value);
        Assert.Equal("Ada", (await GetHomeAsync(visitor)).Name);

        using (var signOut = await visitor.PostAsync("/sign-out", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        var afterSignOut = await GetHomeAsync(visitor);
        Assert.Equal(1, afterSignOut.Visits);
        Assert.Null(afterSignOut.Name);
    }

    [Fact]
    public async Task A_sign_in_without_a_name_is_refused()
    {
        await using var app = await FunctionsTestApp.StartAsync();
        using var visitor = app.CreateBrowser();

        using var response = await visitor.PostAsJsonAsync("/sign-in", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<VisitSummary> GetHomeAsync(HttpClient visitor) =>
        (await visitor.GetFromJsonAsync<VisitSummary>("/"))!;
}
