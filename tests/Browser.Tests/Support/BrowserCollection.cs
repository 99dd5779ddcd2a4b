namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// The browser tests share one Chromium and one published demo for each Functions model (the custom-handler harness, the local isolated-worker host), and run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<PublishedDemo>, ICollectionFixture<PublishedFunctionsDemo>
{
    public const string Name = "Chromium";
}
