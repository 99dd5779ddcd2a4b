using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>
/// Requests of one session that write at the same time. The documented outcome: the version in the Lua script lets one write land
/// first; the others get a conflict, and the core reads the session again and replays their changes on it, so every key
/// each request set survives. A write that loses to a deletion is dropped and the session stays deleted.
/// </summary>
public sealed class ConcurrentWritersTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_requests_setting_different_keys_at_once_both_survive_through_one_replay()
    {
        await using var site = await Site.StartAsync(redis, parties: 2);
        using var browser = await site.StartSessionAsync();

        var responses = await Task.WhenAll(browser.GetAsync("/race/first/1"), browser.GetAsync("/race/second/2"));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal("1", await browser.GetStringAsync("/get/first"));
        Assert.Equal("2", await browser.GetStringAsync("/get/second"));
        Assert.Equal("opened", await browser.GetStringAsync("/get/state"));
        Assert.Single(site.Logs.Records, record => record.Message.Contains("lost a race with another request", StringComparison.Ordinal));
        Assert.Single(site.Keys());
    }

    [Fact]
    public async Task Four_requests_setting_different_keys_at_once_all_survive()
    {
        await using var site = await Site.StartAsync(redis, parties: 4);
        using var browser = await site.StartSessionAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(n => browser.GetAsync($"/race/key{n}/{n}")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        for (int n = 1; n <= 4; n++)
        {
            Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), await browser.GetStringAsync($"/get/key{n}"));
        }
    }

    [Fact]
    public async Task Two_requests_setting_the_same_key_at_once_leave_one_of_their_values_and_the_rest_of_the_session()
    {
        await using var site = await Site.StartAsync(redis, parties: 2);
        using var browser = await site.StartSessionAsync();

        await Task.WhenAll(browser.GetAsync("/race/color/red"), browser.GetAsync("/race/color/blue"));

        Assert.Contains(await browser.GetStringAsync("/get/color"), new[] { "red", "blue" });
        Assert.Equal("opened", await browser.GetStringAsync("/get/state"));
    }

    [Fact]
    public async Task A_write_that_loses_to_a_logout_is_dropped_and_the_session_stays_deleted()
    {
        await using var site = await Site.StartAsync(redis, parties: 1);
        using var browser = await site.StartSessionAsync();
        using var sameBrowser = new CookieClient(site.App.BaseAddress);
        sameBrowser.Cookies["session"] = browser.SessionCookie!;

        var late = browser.GetAsync("/hold/late/value");
        await site.Held.Task.WaitAsync(Patience);
        using (var logout = await sameBrowser.PostAsync("/delete"))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        site.Release.SetResult();
        using var response = await late;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The logout already cleared the cookie; the dropped write leaves the browser's cookie alone (it may be a rotation's new one).
        Assert.DoesNotContain(browser.LastSetCookies, header => header.StartsWith("session=", StringComparison.Ordinal));
        Assert.Empty(site.Keys());
        Assert.Single(site.Logs.Records, record => record.Message.Contains("deleted by another request", StringComparison.Ordinal));
    }

    /// <summary>The core's test app on the Redis store with endpoints that hold requests until the test lets them write.</summary>
    private sealed class Site : IAsyncDisposable
    {
        private int _arrived;

        private Site(int parties)
        {
            Parties = parties;
        }

        public int Parties { get; }

        public KestrelApp App { get; private set; } = null!;

        public string Prefix { get; } = RedisServer.NewKeyPrefix();

        public ConnectionMultiplexer Inspection { get; private set; } = null!;

        /// <summary>The session keys in Redis.</summary>
        public List<string> Keys() => Inspection.Keys(Prefix);

        public CapturingLoggerProvider Logs { get; } = new();

        /// <summary>Completed when as many /race requests as there are parties have loaded the session.</summary>
        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completed when a /hold request has loaded the session.</summary>
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Lets a /hold request write.</summary>
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<Site> StartAsync(RedisServer redis, int parties)
        {
            var site = new Site(parties) { Inspection = RedisInspection.Connect(redis) };
            site.App = await SessionTestApp.StartAsync(
                options => options.Store = RedisSessionStore.StoreName,
                stores: sessions => sessions.AddRedisStore(options =>
                {
                    options.Configuration = redis.Configuration;
                    options.KeyPrefix = site.Prefix;
                }),
                endpoints: web =>
                {
                    web.MapGet("/race/{key}/{value}", async (string key, string value, Session session) =>
                    {
                        // Every racer has read the same version before any of them writes.
                        if (Interlocked.Increment(ref site._arrived) == site.Parties)
                        {
                            site.AllArrived.SetResult();
                        }

                        await site.AllArrived.Task.WaitAsync(Patience);
                        session.Set(new SessionKey<string>(key), value);
                        return "set";
                    });
                    web.MapGet("/hold/{key}/{value}", async (string key, string value, Session session) =>
                    {
                        site.Held.SetResult();
                        await site.Release.Task.WaitAsync(Patience);
                        session.Set(new SessionKey<string>(key), value);
                        return "set";
                    });
                },
                logger: site.Logs);
            return site;
        }

        /// <summary>A browser with a stored session (<c>state = opened</c>).</summary>
        public async Task<CookieClient> StartSessionAsync()
        {
            var browser = App.CreateClient();
            using var response = await browser.PostAsync("/set/state/opened");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return browser;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Inspection.Dispose();
        }
    }
}
