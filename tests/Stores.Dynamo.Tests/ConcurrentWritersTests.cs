using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// Two requests on one session that overlap: both read the same version, then both write. The store's conditional write
/// lets the first through and refuses the second; the middleware then reads the session again and replays the second
/// request's changes on the fresh data. A gate holds both requests after their reads, so the race happens every run.
/// </summary>
public sealed class ConcurrentWritersTests(DynaliteServer dynalite) : DynaliteTableTest(dynalite), IClassFixture<DynaliteServer>
{
    private readonly RaceGate _gate = new();

    [Fact]
    public async Task Two_requests_that_set_different_keys_at_once_both_survive()
    {
        await using var demo = await StartDemoAsync();
        await Browser.CountAsync(demo);
        Calls.Reset();

        var (first, second) = await RaceAsync(demo, "/race/set/a", "/race/set/b");
        using var _ = first;
        using var __ = second;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        // Two reads, two conditional writes of which one was refused, one read of the refused item's write token (was it
        // this very write, sent again after a lost reply?), one fresh read and one replayed write.
        Assert.Equal(4, Calls["GetItem"]);
        Assert.Equal(3, Calls["PutItem"]);
        Assert.Equal("a=a b=b counter=1", await Browser.GetStringAsync(demo, "/race/show"));
    }

    [Fact]
    public async Task Two_increments_of_one_key_at_once_keep_the_later_write_and_lose_one_increment()
    {
        // The documented outcome: a replay re-applies the values a request set, it does not re-run the endpoint. Both
        // requests computed 1 + 1 from the same read, so the counter ends at 2, not 3, and nothing else is lost.
        await using var demo = await StartDemoAsync();
        await Browser.CountAsync(demo);

        var (first, second) = await RaceAsync(demo, "/race/increment", "/race/increment");
        using var _ = first;
        using var __ = second;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, await Browser.ReadCounterAsync(demo));
    }

    [Fact]
    public async Task With_no_retries_the_losing_request_gets_409_and_the_winner_stays()
    {
        await using var demo = await StartDemoAsync("--Sessions:ConcurrencyRetries=0");
        await Browser.CountAsync(demo);

        var (first, second) = await RaceAsync(demo, "/race/set/a", "/race/set/b");
        using var _ = first;
        using var __ = second;

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { first.StatusCode, second.StatusCode }.Order());
        var loser = first.StatusCode == HttpStatusCode.Conflict ? first : second;
        Assert.Null(SessionBrowser.SessionCookieSetBy(loser));
        string shown = await Browser.GetStringAsync(demo, "/race/show");
        Assert.True(shown is "a=a b= counter=1" or "a= b=b counter=1", shown);
    }

    [Fact]
    public async Task A_write_racing_a_logout_is_dropped_and_the_session_stays_ended()
    {
        await using var demo = await StartDemoAsync();
        await Browser.CountAsync(demo);
        string cookie = Browser.Cookie!;

        using var writer = new SessionBrowser { Cookie = cookie };
        var write = writer.SendAsync(demo, HttpMethod.Get, "/race/set/a");
        await _gate.WaitForArrivalAsync();
        using (var logout = await Browser.LogoutAsync(demo))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        _gate.Release();
        using var written = await write;

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        // The logout already cleared the browser's cookie; the dropped write leaves it alone (it may be a rotation's new one).
        Assert.Null(SessionBrowser.SessionCookieSetBy(written));
        Assert.Empty(await SessionTable.ScanAsync(Client, Table));
    }

    private Task<DemoServer> StartDemoAsync(params string[] settings) =>
        DemoServer.StartOnDynamoDbAsync(Client, Table, [$"--Sessions:EncryptionKey={DemoServer.EncryptionKey}", .. settings], mapRoutes: MapRaceRoutes);

    /// <summary>Sends both requests with the browser's cookie, lets them through together once both have read the session.</summary>
    private async Task<(HttpResponseMessage First, HttpResponseMessage Second)> RaceAsync(DemoServer demo, string firstPath, string secondPath)
    {
        using var one = new SessionBrowser { Cookie = Browser.Cookie };
        using var two = new SessionBrowser { Cookie = Browser.Cookie };
        var first = one.SendAsync(demo, HttpMethod.Get, firstPath);
        var second = two.SendAsync(demo, HttpMethod.Get, secondPath);
        await _gate.WaitForArrivalAsync(2);
        _gate.Release();
        return (await first, await second);
    }

    private void MapRaceRoutes(WebApplication app)
    {
        app.MapGet("/race/set/{name}", async (string name, Session session) =>
        {
            session.Set(new SessionKey<string>(name), name);
            await _gate.ArriveAsync();
            return Results.Text("set");
        });
        app.MapGet("/race/increment", async (Session session) =>
        {
            session.Set(LoginDemo.DemoKeys.Counter, session.Get(LoginDemo.DemoKeys.Counter) + 1);
            await _gate.ArriveAsync();
            return Results.Text("incremented");
        });
        app.MapGet("/race/show", (Session session) =>
            Results.Text($"a={session.Get(new SessionKey<string>("a"))} b={session.Get(new SessionKey<string>("b"))} counter={session.Get(LoginDemo.DemoKeys.Counter)}"));
    }

    /// <summary>Holds requests inside their endpoints (after the session was read) until the test lets them go.</summary>
    private sealed class RaceGate
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _arrivals = new(0);

        public async Task ArriveAsync()
        {
            _arrivals.Release();
            await _release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async Task WaitForArrivalAsync(int count = 1)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(await _arrivals.WaitAsync(TimeSpan.FromSeconds(30)), "A request did not reach the gate.");
            }
        }

        public void Release() => _release.TrySetResult();
    }
}
