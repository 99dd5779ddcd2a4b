using Amazon.DynamoDBv2;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// The stateless-Lambda case: two instances of the demo, each with its own process state and DynamoDB client, serve one
/// browser whose requests alternate between them. The session lives only in the table.
/// </summary>
public sealed class TwoInstancesTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    [Fact]
    public async Task Two_instances_share_one_session_through_the_table()
    {
        string table = await dynalite.CreateTableAsync();
        using var clientA = dynalite.CreateClient();
        using var clientB = dynalite.CreateClient();
        string[] settings = [$"--Sessions:EncryptionKey={DemoServer.EncryptionKey}"];
        await using var a = await DemoServer.StartOnDynamoDbAsync(clientA, table, settings);
        await using var b = await DemoServer.StartOnDynamoDbAsync(clientB, table, settings);
        using var browser = new SessionBrowser();

        // Log in on A (the id rotates there), read the flash and the email on B.
        (await browser.LoginAsync(a, "ada@example.com", "wrong")).Dispose();
        (await browser.LoginAsync(a, "ada@example.com", LoginDemo.LoginEndpoints.CorrectPassword)).Dispose();
        string home = await browser.GetStringAsync(b, "/");
        Assert.Contains("Login Successful", home, StringComparison.Ordinal);
        Assert.Contains("ada@example.com", home, StringComparison.Ordinal);

        // The flash was consumed on B, so A no longer shows it.
        Assert.DoesNotContain("Login Successful", await browser.GetStringAsync(a, "/"), StringComparison.Ordinal);

        // Writes alternate between the instances and each sees the other's.
        int[] counts = [await browser.CountAsync(a), await browser.CountAsync(b), await browser.CountAsync(a), await browser.CountAsync(b)];
        Assert.Equal([1, 2, 3, 4], counts);
        Assert.Equal(4, await browser.ReadCounterAsync(a));

        // Logging out on B ends the session on A too.
        (await browser.LogoutAsync(b)).Dispose();
        Assert.Empty(await SessionTable.ScanAsync(clientA, table));
        using var replay = new SessionBrowser();
        Assert.DoesNotContain("ada@example.com", await replay.GetStringAsync(a, "/"), StringComparison.Ordinal);
    }
}
