namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// The browser tests share one Chromium and one published demo (for the Functions host harness), and run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<PublishedDemo>
{
    public const string Name = "Chromium";
}
