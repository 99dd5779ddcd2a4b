using SessionsServerless.Tests.Demo;

namespace SessionsServerless.Tests.Browser;

/// <summary>The demo's login flow in Chromium, on Kestrel, with the cookie store and the memory store.</summary>
public sealed class LoginDemoBrowserTests : IClassFixture<ChromiumFixture>
{
    private readonly ChromiumFixture _chromium;

    public LoginDemoBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_login_flow_works_in_a_real_browser_on_Kestrel(string store)
    {
        await using var app = await LoginDemoHost.StartAsync(store);

        await BrowserLoginFlow.RunAsync(_chromium.Browser, app.BaseAddress, $"kestrel-{store}");
    }
}
