using System.Text.RegularExpressions;
using Azure.Data.Tables;
using SessionsServerless.AzureFunctions.Worker.Tests.Support;

namespace SessionsServerless.AzureFunctions.Worker.Tests;

/// <summary>
/// The PurgeExpiredSessions timer function an app opts into with &lt;SessionsPurgeFunction&gt;: indexed from the
/// published app (functions.metadata / the source-generated metadata), invoked over gRPC as a schedule would.
/// </summary>
[Collection(WorkerAppsCollection.Name)]
public sealed class PurgeTimerTests
{
    private readonly WorkerApps _apps;
    private readonly AzuriteServer _azurite;

    public PurgeTimerTests(WorkerApps apps, AzuriteServer azurite)
    {
        _apps = apps;
        _azurite = azurite;
    }

    [Fact]
    public async Task The_timer_deletes_expired_table_sessions_and_leaves_live_ones()
    {
        var table = await _azurite.CreateTableAsync();
        await using var host = await WorkerApps.StartAsync(_apps.Demo, new Dictionary<string, string>
        {
            ["Sessions__Store"] = "table",
            ["Sessions__ExpireAfterSeconds"] = "3",
            ["Sessions__AzureTables__ConnectionString"] = _azurite.ConnectionString,
            ["Sessions__AzureTables__TableName"] = table.Name,
        }, "/read");
        Assert.Contains(host.Functions, f => f.Name == "PurgeExpiredSessions" && f.TriggerType == "timerTrigger");

        foreach (int _ in Enumerable.Range(0, 2))
        {
            using var expiring = Browser.Create(host.BaseAddress);
            Assert.Equal("You have visited this page 1 times", await expiring.GetStringAsync("counter"));
        }

        await Task.Delay(TimeSpan.FromSeconds(4)); // Past the three-second expiry of both.
        using var live = Browser.Create(host.BaseAddress);
        Assert.Equal("You have visited this page 1 times", await live.GetStringAsync("counter"));
        Assert.Equal(3, table.Query<TableEntity>().Count());

        var invocation = await host.InvokeTimerAsync("PurgeExpiredSessions");

        Assert.True(invocation.Succeeded, invocation.ExceptionMessage);
        Assert.Contains(invocation.Logs, log => Regex.IsMatch(log.Message, @"^Purged 2 expired sessions from the table store in \d+ ms\.$"));
        Assert.Single(table.Query<TableEntity>());
        Assert.Equal("You have visited this page 2 times", await live.GetStringAsync("counter"));
    }

    [Fact]
    public async Task With_the_cookie_store_the_timer_reports_that_there_is_nothing_to_purge()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Demo, new Dictionary<string, string> { ["Sessions__Store"] = "cookie" }, "/read");

        var invocation = await host.InvokeTimerAsync("PurgeExpiredSessions");

        Assert.True(invocation.Succeeded, invocation.ExceptionMessage);
        Assert.Contains(invocation.Logs, log => log.Message.StartsWith("Nothing to purge: Sessions:Store is cookie", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_store_fails_the_timer_run()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, StoreDown.TableSettings());

        var invocation = await host.InvokeTimerAsync("PurgeExpiredSessions");

        Assert.False(invocation.Succeeded);
        Assert.Contains(invocation.Logs, log => log.Message.Contains("Purging expired sessions from the table store failed", StringComparison.Ordinal));
    }
}
