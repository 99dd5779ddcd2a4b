using System.Net;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// The table service goes away and comes back. While it is gone requests get a clear 503 (the browser keeps its cookie,
/// the log says what to check); when it is back the same session carries on. Each test has its own Azurite to stop.
/// </summary>
public sealed class OutageTests
{
    [Fact]
    public async Task While_the_service_is_gone_requests_get_503_and_when_it_is_back_the_session_carries_on()
    {
        await using var azurite = AzuriteServer.Persistent();
        await azurite.InitializeAsync();
        var table = await azurite.CreateTableAsync();
        var logs = new CapturingLoggerProvider();
        await using var app = await TableDemo.StartAsync(azurite, table.Name, logs);
        using var browser = app.CreateClient();
        using var newcomer = app.CreateClient();
        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 2 times", await browser.GetStringAsync("/counter"));
        string cookie = browser.SessionCookie!;

        await azurite.StopAsync();

        using (var read = await browser.GetAsync("/counter"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Equal("The session store is unavailable. Please try again.", await read.Content.ReadAsStringAsync());
            Assert.Equal("1", read.Headers.RetryAfter?.ToString());
            Assert.Empty(browser.LastSetCookies);
        }

        using (var write = await newcomer.GetAsync("/counter"))
        {
            // The save runs as the response starts, after the endpoint wrote its body: only the status can say it failed.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.Null(newcomer.SessionCookie);
        }

        Assert.Equal(cookie, browser.SessionCookie);
        var failures = logs.Records.Where(record => record.Level == LogLevel.Error).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure =>
        {
            var reported = Assert.IsType<SessionStoreException>(failure.Exception);
            Assert.Contains($"could not be reached for table '{table.Name}'", reported.Message, StringComparison.Ordinal);
            Assert.Contains("Check that the storage account (or Azurite) is running", reported.Message, StringComparison.Ordinal);
        });
        string id = TableDemo.SessionId(cookie);
        Assert.All(logs.Records, record =>
        {
            string text = record.Message + record.Exception;
            Assert.DoesNotContain(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TableDemo.StoreKey(id), text, StringComparison.Ordinal);
            Assert.DoesNotContain(AzuriteServer.AccountKey, text, StringComparison.Ordinal);
        });

        await azurite.StartAsync();

        Assert.Equal("You have visited this page 3 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 1 times", await newcomer.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task An_in_memory_Azurite_that_restarts_empty_gets_its_table_back_and_visitors_start_fresh_sessions()
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        string tableName = AzuriteServer.NewTableName();
        await using var app = await TableDemo.StartAsync(azurite, tableName, logs: null, "--Sessions:AzureTables:CreateTableIfNotExists=true");
        using var browser = app.CreateClient();
        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 2 times", await browser.GetStringAsync("/counter"));
        string before = browser.SessionCookie!;

        await azurite.StopAsync();
        using (var down = await browser.GetAsync("/counter"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        await azurite.StartAsync();

        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.NotEqual(before, browser.SessionCookie);
        Assert.Single(await azurite.TableClient(tableName).EntitiesAsync());
    }
}
