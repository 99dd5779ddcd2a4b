using Microsoft.Playwright;

namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// The demo's whole login flow in a real browser: failed attempts counted, flash shown once, login with id rotation,
/// logout, an email with markup shown as text, and a tampered cookie giving a fresh session. On failure the page's
/// screenshot and HTML (and the server's log, when the host keeps one) are kept under artifacts/browser-failures/.
/// </summary>
internal static class BrowserLoginFlow
{
    /// <summary>Runs the flow against the demo at <paramref name="baseAddress"/>.</summary>
    /// <param name="browser">The browser.</param>
    /// <param name="baseAddress">Where the demo is.</param>
    /// <param name="caseName">Names the failure artifacts.</param>
    /// <param name="serverLog">What the host logged, kept with the artifacts on failure.</param>
    public static async Task RunAsync(IBrowser browser, Uri baseAddress, string caseName, Func<string>? serverLog = null)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        try
        {
            await RunFlowAsync(context, page, baseAddress);
        }
        catch
        {
            await BrowserFailureArtifacts.KeepAsync(page, caseName, serverLog);
            throw;
        }
    }

    private static async Task RunFlowAsync(IBrowserContext context, IPage page, Uri baseAddress)
    {
        await page.GotoAsync("/");
        Assert.Contains("Session", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Empty(await context.CookiesAsync());

        await LogInAsync(page, "test@test.com", "incorrect");
        Assert.Equal("Incorrect username or password", await page.Locator("#error").TextContentAsync());
        Assert.Equal("Failed login attempts: 1", await page.Locator("#failed-login-attempts").TextContentAsync());

        await page.GotoAsync("/");
        Assert.Equal(0, await page.Locator("#error").CountAsync());
        Assert.Equal("Failed login attempts: 1", await page.Locator("#failed-login-attempts").TextContentAsync());

        await LogInAsync(page, "test@test.com", "wrong");
        Assert.Equal("Failed login attempts: 2", await page.Locator("#failed-login-attempts").TextContentAsync());
        string beforeLogin = await SessionCookieAsync(context, baseAddress);

        await LogInAsync(page, "test@test.com", "correct");
        Assert.Equal("Login Successful", await page.Locator("#message").TextContentAsync());
        Assert.NotEqual(beforeLogin, await SessionCookieAsync(context, baseAddress));
        Assert.Equal(0, await page.Locator("#failed-login-attempts").CountAsync());

        await page.GotoAsync("/");
        Assert.Equal("Log out test@test.com", (await page.Locator("#logout-button").TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Locator("#message").CountAsync());

        await page.Locator("#logout-button").ClickAsync();
        await page.WaitForSelectorAsync("#login-button");
        Assert.Empty(await context.CookiesAsync());

        await LogInAsync(page, "test@test.com", "incorrect");
        Assert.Equal("Incorrect username or password", await page.Locator("#error").TextContentAsync());
        Assert.Equal("Failed login attempts: 1", await page.Locator("#failed-login-attempts").TextContentAsync());

        const string Markup = "<img src=x onerror=alert(1)>@test.com";
        await LogInAsync(page, Markup, "correct");
        Assert.Equal("Log out " + Markup, (await page.Locator("#logout-button").TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Locator("img").CountAsync());

        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "session");
        await context.AddCookiesAsync([new Cookie { Name = "session", Value = cookie.Value[..^4] + "AAAA", Domain = cookie.Domain, Path = cookie.Path }]);
        await page.GotoAsync("/");
        Assert.Equal(1, await page.Locator("#login-button").CountAsync());
        Assert.Equal(0, await page.Locator("#logout-button").CountAsync());
    }

    private static async Task LogInAsync(IPage page, string email, string password)
    {
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#login-button").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private static async Task<string> SessionCookieAsync(IBrowserContext context, Uri baseAddress) =>
        (await context.CookiesAsync([baseAddress.ToString()])).Single(c => c.Name == "session").Value;
}
