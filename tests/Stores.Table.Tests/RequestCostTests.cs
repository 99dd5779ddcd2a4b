using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// What each request costs in calls to the table service, counted on the wire, with a one-hour idle expiry renewed once
/// half of it has passed (the default <see cref="SessionsOptions.RenewalThreshold"/>).
/// </summary>
public sealed class RequestCostTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_read_only_request_within_the_renewal_threshold_costs_one_read_and_no_write()
    {
        await using var site = await Site.StartAsync(azurite);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");
        var writtenAt = site.Clock.GetUtcNow();
        string key = Assert.Single(await site.Table.EntitiesAsync()).RowKey;
        site.Recorder.Clear();

        site.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("ada", await browser.GetStringAsync("/get/user"));

        string read = Assert.Single(site.Recorder.Requests);
        Assert.StartsWith("GET ", read, StringComparison.Ordinal);
        Assert.Contains(key, read, StringComparison.Ordinal);
        Assert.Empty(browser.LastSetCookies);
        Assert.Equal(writtenAt + Window, Assert.Single(await site.Table.EntitiesAsync()).GetDateTimeOffset("ExpiresAt"));
    }

    [Fact]
    public async Task Past_the_renewal_threshold_a_read_only_request_writes_the_new_expiry_once()
    {
        await using var site = await Site.StartAsync(azurite);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");
        site.Recorder.Clear();

        site.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("ada", await browser.GetStringAsync("/get/user"));

        Assert.Equal(1, site.Recorder.Reads);
        Assert.Equal(1, site.Recorder.Writes);
        Assert.Equal(site.Clock.GetUtcNow() + Window, Assert.Single(await site.Table.EntitiesAsync()).GetDateTimeOffset("ExpiresAt"));
    }

    [Fact]
    public async Task Creating_changing_rotating_and_deleting_a_session_cost_what_the_documentation_says()
    {
        await using var site = await Site.StartAsync(azurite);
        using var browser = site.App.CreateClient();

        Assert.Equal((Reads: 0, Writes: 0), await CostAsync(site, () => browser.GetAsync("/nothing")));
        Assert.Equal((Reads: 0, Writes: 1), await CostAsync(site, () => browser.PostAsync("/set/user/ada")));
        Assert.Equal((Reads: 1, Writes: 1), await CostAsync(site, () => browser.PostAsync("/set/user/grace")));
        Assert.Equal((Reads: 1, Writes: 2), await CostAsync(site, () => browser.PostAsync("/rotate")));
        Assert.Equal((Reads: 1, Writes: 1), await CostAsync(site, () => browser.PostAsync("/delete")));
        Assert.Empty(await site.Table.EntitiesAsync());
    }

    [Fact]
    public async Task An_expired_session_is_not_served_and_its_entity_waits_for_the_purge()
    {
        await using var site = await Site.StartAsync(azurite);
        using var browser = site.App.CreateClient();
        await browser.PostAsync("/set/user/ada");

        site.Clock.Advance(Window);

        Assert.Equal("<none>", await browser.GetStringAsync("/get/user"));
        Assert.Single(await site.Table.EntitiesAsync());
        var store = Assert.IsAssignableFrom<IPurgeableSessionStore>(site.App.Services.GetSessionStore());
        Assert.Equal(1, await store.PurgeExpiredAsync(default));
        Assert.Empty(await site.Table.EntitiesAsync());
    }

    private static async Task<(int Reads, int Writes)> CostAsync(Site site, Func<Task<HttpResponseMessage>> request)
    {
        site.Recorder.Clear();
        using var response = await request();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (site.Recorder.Reads, site.Recorder.Writes);
    }

    /// <summary>The core's test app on the table store, with the table's requests recorded and a clock the test moves.</summary>
    private sealed class Site : IAsyncDisposable
    {
        private Site(KestrelApp app, TableClient table, RequestRecorder recorder, FakeTimeProvider clock)
        {
            App = app;
            Table = table;
            Recorder = recorder;
            Clock = clock;
        }

        public KestrelApp App { get; }

        public TableClient Table { get; }

        public RequestRecorder Recorder { get; }

        public FakeTimeProvider Clock { get; }

        public static async Task<Site> StartAsync(AzuriteServer azurite)
        {
            var recorder = new RequestRecorder();
            var table = await azurite.CreateTableAsync(recorder.ClientOptions());
            var clock = SessionTestApp.NewClock();
            var app = await SessionTestApp.StartAsync(
                options =>
                {
                    options.Store = AzureTableSessionStore.StoreName;
                    options.ExpireAfter = Window;
                },
                clock,
                sessions => sessions.AddAzureTableStore().Services.AddSingleton(table));
            return new Site(app, table, recorder, clock);
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
