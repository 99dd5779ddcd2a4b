using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// The demo's login flow in Chromium on the Lambda path: the browser talks to sessions-lambda-gateway, which turns each
/// request into an API Gateway event for LoginDemo's real Runtime API loop (src/Lambda) in its own process.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LambdaBrowserTests
{
    private readonly ChromiumFixture _chromium;

    public LambdaBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    [Theory]
    [InlineData("v2", "cookie")]
    [InlineData("v1", "cookie")]
    [InlineData("v2", "memory")]
    public async Task The_login_flow_works_through_the_local_Lambda_gateway(string events, string store)
    {
        await using var demo = await GatewayDemo.StartAsync(events, store);

        await BrowserLoginFlow.RunAsync(_chromium.Browser, demo.Address, $"lambda-{events}-{store}", () => demo.Output);
    }
}
