namespace SessionsServerless.AzureFunctions.Worker.Tests.Support;

/// <summary>The tests that run the published apps share one publish of each, and Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerAppsCollection : ICollectionFixture<WorkerApps>, ICollectionFixture<AzuriteServer>
{
    public const string Name = "Published worker apps";
}
