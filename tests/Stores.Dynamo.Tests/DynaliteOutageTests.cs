using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// dynalite (keeping its data in a directory) is killed in the middle of a run and restarted on the same port: requests
/// get a clear 503 meanwhile, no saved session is changed by a request that failed, and the app recovers by itself.
/// </summary>
public sealed class DynaliteOutageTests(PersistentDynaliteServer dynalite) : IClassFixture<PersistentDynaliteServer>
{
    [Fact]
    public async Task An_outage_gives_503_without_losing_or_corrupting_data_and_the_app_recovers()
    {
        string table = await dynalite.CreateTableAsync();
        using var client = dynalite.CreateClient();
        await using var demo = await DemoServer.StartOnDynamoDbAsync(
            client,
            table,
            [$"--Sessions:EncryptionKey={DemoServer.EncryptionKey}"],
            mapRoutes: app => app.MapGet("/counter-then-outage", async (Session session) =>
            {
                session.Set(LoginDemo.DemoKeys.Counter, session.Get(LoginDemo.DemoKeys.Counter) + 1);
                await dynalite.StopAsync();
                return Results.Text("counted");
            }));
        using var browser = new SessionBrowser();
        Assert.Equal(1, await browser.CountAsync(demo));
        Assert.Equal(2, await browser.CountAsync(demo));
        string cookie = browser.Cookie!;

        // Down between requests: the session cannot be read, so the request is refused and the cookie kept.
        await dynalite.StopAsync();
        using (var refused = await browser.SendAsync(demo, HttpMethod.Get, "/counter"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Null(SessionBrowser.SessionCookieSetBy(refused));
            Assert.Equal("The session store is unavailable. Please try again.", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(cookie, browser.Cookie);
        string logs = demo.AllLogText();
        Assert.Contains($"DynamoDB could not be reached at {dynalite.ServiceUrl}", logs, StringComparison.Ordinal);

        // Back: the same session, untouched by the refused request.
        await dynalite.StartAsync();
        Assert.Equal(3, await browser.CountAsync(demo));

        // Down in the middle of a request, after the read and before the write: 503, and the change is not half-saved.
        using (var unsaved = await browser.SendAsync(demo, HttpMethod.Get, "/counter-then-outage"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unsaved.StatusCode);
            Assert.Null(SessionBrowser.SessionCookieSetBy(unsaved));
        }

        await dynalite.StartAsync();
        Assert.Equal(3, await browser.ReadCounterAsync(demo));
        Assert.Equal(4, await browser.CountAsync(demo));
        var item = Assert.Single(await SessionTable.ScanAsync(client, table));
        Assert.Equal("4", item["version"].N);
        Assert.Equal(cookie, browser.Cookie);
    }
}
