using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>The demo's login flow in Chromium with the demo on Kestrel (as `dotnet run` serves it).</summary>
[Collection(BrowserCollection.Name)]
public sealed class KestrelBrowserTests
{
    private readonly ChromiumFixture _chromium;

    public KestrelBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_login_flow_works_in_a_real_browser_on_Kestrel(string store)
    {
        await using var app = await LoginDemoHost.StartAsync(store);

        await BrowserLoginFlow.RunAsync(_chromium.Browser, app.BaseAddress, $"kestrel-{store}");
    }
}
