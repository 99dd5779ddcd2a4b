using Microsoft.Playwright;
using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// samples/TempDataDemo in Chromium: a Razor Pages form posts, sets <c>TempData["Notice"]</c> and redirects; the next page
/// shows the notice once, kept by <c>AddSessionStateTempDataProvider()</c> in the library's session cookie. On Kestrel and
/// through sessions-lambda-gateway (HTTP API v2 events).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TempDataBrowserTests : IClassFixture<PublishedTempDataDemo>
{
    private readonly ChromiumFixture _chromium;
    private readonly PublishedTempDataDemo _demo;

    public TempDataBrowserTests(ChromiumFixture chromium, PublishedTempDataDemo demo)
    {
        _chromium = chromium;
        _demo = demo;
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task A_TempData_notice_shows_once_after_the_redirect_on_Kestrel(string store)
    {
        await using var app = await KestrelProcess.StartAsync(_demo.App, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Sessions__EncryptionKey"] = PublishedTempDataDemo.EncryptionKey,
            ["Sessions__Store"] = store,
        });

        await RunAsync(app.Address, $"tempdata-kestrel-{store}", () => app.Output);
    }

    [Fact]
    public async Task A_TempData_notice_shows_once_after_the_redirect_through_the_local_Lambda_gateway()
    {
        await using var gateway = await GatewayDemo.StartAsync("v2", "cookie", app: _demo.App);

        await RunAsync(gateway.Address, "tempdata-lambda-v2-cookie", () => gateway.Output);
    }

    private async Task RunAsync(Uri baseAddress, string caseName, Func<string> serverLog)
    {
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
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
        var posts = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "POST")
            {
                posts.Add(response);
            }
        };

        await page.GotoAsync("/");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "session");

        const string Message = "Saved <b>at noon</b> & kept once";
        await page.Locator("#message").FillAsync(Message);
        await page.Locator("#save").ClickAsync();
        await page.WaitForURLAsync("**/Notice");

        // Post/redirect/get: the post answers 302 and carries the notice in the library's sealed session cookie, not in
        // a TempData cookie of its own.
        var post = Assert.Single(posts);
        Assert.Equal(302, post.Status);
        var setCookies = (await post.HeadersArrayAsync())
            .Where(h => h.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value)
            .ToList();
        Assert.Contains(setCookies, c => c.StartsWith("session=Fe26.2*", StringComparison.Ordinal));
        Assert.DoesNotContain(setCookies, c => c.Contains("TempData", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(Message, await page.Locator("#notice").TextContentAsync());
        Assert.Equal(0, await page.Locator("b").CountAsync());
        Assert.DoesNotContain(await context.CookiesAsync([baseAddress.ToString()]), c => c.Name.Contains("TempData", StringComparison.OrdinalIgnoreCase));

        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#notice").CountAsync());
        Assert.Equal(1, await page.Locator("#no-notice").CountAsync());

        await page.GotoAsync("/Notice");
        Assert.Equal(0, await page.Locator("#notice").CountAsync());
    }
}
