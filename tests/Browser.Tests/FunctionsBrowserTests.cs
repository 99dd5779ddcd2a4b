using SessionsServerless.Browser.Tests.Support;

namespace SessionsServerless.Browser.Tests;

/// <summary>
/// The demo's login flow in Chromium on the Azure Functions path: the demo published as a custom handler, started as the
/// Functions host starts it, with requests forwarded as the host forwards them under <c>func start</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FunctionsBrowserTests
{
    private readonly ChromiumFixture _chromium;
    private readonly PublishedDemo _demo;

    public FunctionsBrowserTests(ChromiumFixture chromium, PublishedDemo demo)
    {
        _chromium = chromium;
        _demo = demo;
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_login_flow_works_through_the_Functions_host(string store)
    {
        await using var handler = await _demo.StartAsync(new Dictionary<string, string> { ["Sessions__Store"] = store });
        await using var frontDoor = await FunctionsFrontDoor.StartAsync(handler.Host);

        await BrowserLoginFlow.RunAsync(_chromium.Browser, frontDoor.Address, $"functions-{store}", () => handler.Output);
    }
}
