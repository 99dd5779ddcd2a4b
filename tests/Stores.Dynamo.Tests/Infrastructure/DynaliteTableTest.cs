using Amazon.DynamoDBv2;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>
/// A test with its own session table on the class's dynalite, a DynamoDB client that counts its requests, and a browser.
/// </summary>
public abstract class DynaliteTableTest(DynaliteServer dynalite) : IAsyncLifetime
{
    /// <summary>The requests <see cref="Client"/> sent, by operation.</summary>
    protected RequestCounter Calls { get; } = new();

    protected SessionBrowser Browser { get; } = new();

    protected AmazonDynamoDBClient Client { get; private set; } = null!;

    protected string Table { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = dynalite.CreateClient(Calls);
        Table = await dynalite.CreateTableAsync();
    }

    public Task DisposeAsync()
    {
        Browser.Dispose();
        Client.Dispose();
        return Task.CompletedTask;
    }
}
