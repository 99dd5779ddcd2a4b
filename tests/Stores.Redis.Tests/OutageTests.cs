using System.Net;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>
/// Redis goes away and comes back. While it is gone requests get a clear 503 (the browser keeps its cookie, the log says
/// what to check); when it is back (the connection reconnects by itself) the same session carries on. The test has its
/// own Redis to stop, one that saves its data when stopped.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Reconnection = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task While_Redis_is_gone_requests_get_503_and_when_it_is_back_the_session_carries_on()
    {
        await using var redis = RedisServer.Persistent();
        await redis.InitializeAsync();
        var logs = new CapturingLoggerProvider();
        await using var app = await RedisDemo.StartAsync(redis, RedisServer.NewKeyPrefix(), logs);
        using var browser = app.CreateClient();
        using var newcomer = app.CreateClient();
        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.Equal("You have visited this page 2 times", await browser.GetStringAsync("/counter"));
        string cookie = browser.SessionCookie!;

        await redis.StopAsync();

        using (var read = await browser.GetAsync("/counter"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Equal("The session store is unavailable. Please try again.", await read.Content.ReadAsStringAsync());
            Assert.NotNull(read.Headers.RetryAfter);
            Assert.Empty(browser.LastSetCookies);
        }

        using (var write = await newcomer.GetAsync("/counter"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.Null(newcomer.SessionCookie);
        }

        Assert.Equal(cookie, browser.SessionCookie);
        var failures = logs.Records.Where(record => record.Level == LogLevel.Error).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure =>
        {
            var reported = Assert.IsType<SessionStoreException>(failure.Exception);
            Assert.Contains($"127.0.0.1:{redis.Port}", reported.Message, StringComparison.Ordinal);
            Assert.Contains("Redis", reported.Message, StringComparison.Ordinal);
        });
        string id = RedisDemo.SessionId(cookie);
        Assert.All(logs.Records, record =>
        {
            string text = record.Message + record.Exception;
            Assert.DoesNotContain(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain(RedisDemo.StoreKey(id), text, StringComparison.Ordinal);
        });

        await redis.StartAsync();

        // StackExchange.Redis reconnects on its own schedule; the first answer that is not a 503 must be the same session's.
        var deadline = DateTime.UtcNow + Reconnection;
        while (true)
        {
            using var response = await browser.GetAsync("/counter");
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("You have visited this page 3 times", await response.Content.ReadAsStringAsync());
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The store did not reconnect within {Reconnection}.");
            Assert.Equal(cookie, browser.SessionCookie);
            await Task.Delay(250);
        }

        Assert.Equal(cookie, browser.SessionCookie);
        Assert.Equal("You have visited this page 1 times", await newcomer.GetStringAsync("/counter"));
    }
}
