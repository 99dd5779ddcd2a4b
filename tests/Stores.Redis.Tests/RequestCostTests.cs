using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>
/// What each request costs in Redis commands (round trips), counted by StackExchange.Redis's profiler on the store's
/// connection (the server's own statistics also count the commands a script runs), with a one-hour idle
/// expiry renewed once half of it has passed (the default <see cref="SessionsOptions.RenewalThreshold"/>).
/// </summary>
public sealed class RequestCostTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_read_only_request_within_the_renewal_threshold_costs_one_read_and_no_write()
    {
        await using var site = await Site.StartAsync(redis);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");
        var ttl = await site.TimeToLiveAsync();

        site.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal((Reads: 1, Writes: 0), await site.CostAsync(() => browser.GetAsync("/get/user")));

        Assert.Empty(browser.LastSetCookies);
        Assert.True(await site.TimeToLiveAsync() <= ttl);
    }

    [Fact]
    public async Task Past_the_renewal_threshold_a_read_only_request_writes_the_new_expiry_once()
    {
        await using var site = await Site.StartAsync(redis);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");

        site.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal((Reads: 1, Writes: 1), await site.CostAsync(() => browser.GetAsync("/get/user")));
        Assert.Equal("ada", await browser.GetStringAsync("/get/user"));
        Assert.InRange(await site.TimeToLiveAsync(), Window - TimeSpan.FromMinutes(1), Window);
    }

    [Fact]
    public async Task Creating_changing_rotating_and_deleting_a_session_cost_what_the_documentation_says()
    {
        await using var site = await Site.StartAsync(redis);
        using var browser = site.App.CreateClient();

        Assert.Equal((Reads: 0, Writes: 0), await site.CostAsync(() => browser.GetAsync("/nothing")));
        Assert.Equal((Reads: 0, Writes: 1), await site.CostAsync(() => browser.PostAsync("/set/user/ada")));
        Assert.Equal((Reads: 1, Writes: 1), await site.CostAsync(() => browser.PostAsync("/set/user/grace")));
        Assert.Equal((Reads: 1, Writes: 2), await site.CostAsync(() => browser.PostAsync("/rotate")));
        Assert.Equal((Reads: 1, Writes: 1), await site.CostAsync(() => browser.PostAsync("/delete")));
        Assert.Empty(site.Inspection.Keys(site.Prefix));
    }

    [Fact]
    public async Task An_expired_session_is_not_served_even_before_Redis_removes_its_key()
    {
        await using var site = await Site.StartAsync(redis);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");

        site.Clock.Advance(Window);

        Assert.Equal("<none>", await browser.GetStringAsync("/get/user"));
    }

    /// <summary>The core's test app on the Redis store, over a connection whose commands are recorded, with a clock the test moves.</summary>
    private sealed class Site : IAsyncDisposable
    {
        private static readonly string[] ReadCommands = ["HMGET", "HGET", "HGETALL", "GET"];
        private static readonly string[] WriteCommands = ["EVAL", "EVALSHA", "DEL", "UNLINK", "HSET", "PEXPIRE", "SET"];

        private readonly ConnectionMultiplexer _connection;
        private ProfilingSession _profiling = new();

        private Site(KestrelApp app, ConnectionMultiplexer connection, string prefix, FakeTimeProvider clock)
        {
            App = app;
            _connection = connection;
            Prefix = prefix;
            Clock = clock;
        }

        public KestrelApp App { get; }

        public ConnectionMultiplexer Inspection => _connection;

        public string Prefix { get; }

        public FakeTimeProvider Clock { get; }

        public static async Task<Site> StartAsync(RedisServer redis)
        {
            string prefix = RedisServer.NewKeyPrefix();
            var clock = SessionTestApp.NewClock();
            var connection = RedisInspection.Connect(redis);
            Site? site = null;
            connection.RegisterProfiler(() => site?._profiling);
            var app = await SessionTestApp.StartAsync(
                options =>
                {
                    options.Store = RedisSessionStore.StoreName;
                    options.ExpireAfter = Window;
                },
                clock,
                sessions => sessions.AddRedisStore(options => options.KeyPrefix = prefix).Services.AddSingleton<IConnectionMultiplexer>(connection));
            site = new Site(app, connection, prefix, clock);
            return site;
        }

        /// <summary>The commands the request cost, as reads and writes.</summary>
        public async Task<(int Reads, int Writes)> CostAsync(Func<Task<HttpResponseMessage>> request)
        {
            _profiling.FinishProfiling();
            _profiling = new ProfilingSession();
            using (var response = await request())
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var commands = _profiling.FinishProfiling().Select(command => command.Command).ToList();
            _profiling = new ProfilingSession();
            return (commands.Count(ReadCommands.Contains), commands.Count(WriteCommands.Contains));
        }

        public async Task<TimeSpan> TimeToLiveAsync()
        {
            var profiling = _profiling;
            _profiling = null!;
            try
            {
                string key = Assert.Single(Inspection.Keys(Prefix));
                return (await Inspection.GetDatabase().KeyTimeToLiveAsync(key))!.Value;
            }
            finally
            {
                _profiling = profiling;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            _connection.Dispose();
        }
    }
}
