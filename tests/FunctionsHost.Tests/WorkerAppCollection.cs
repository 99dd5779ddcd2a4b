namespace SessionsServerless.FunctionsHost.Tests;

/// <summary>The tests that share the published fixture app (and its running host).</summary>
[CollectionDefinition(Name)]
public sealed class WorkerAppCollection : ICollectionFixture<WorkerAppFixture>
{
    public const string Name = "Isolated worker app";
}
