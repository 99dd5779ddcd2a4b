namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>The tests that share one published demo.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedDemoCollection : ICollectionFixture<PublishedDemo>
{
    public const string Name = "Published demo";
}
