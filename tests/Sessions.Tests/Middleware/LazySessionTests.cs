using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>The session opens only when an endpoint asks for it: routes that never do cost no store read and survive an outage.</summary>
public sealed class LazySessionTests
{
    private static ScriptedStore NewStore() => new(new MemoryStore(TimeProvider.System, Options.Create(new MemoryStoreOptions())));

    private static Task<KestrelApp> StartAsync(ScriptedStore store, Action<WebApplication>? endpoints = null) =>
        SessionTestApp.StartAsync(options => options.Store = "scripted", stores: sessions => sessions.AddStore("scripted", _ => store), endpoints: endpoints);

    [Fact]
    public async Task A_route_that_never_touches_the_session_costs_no_store_read()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        store.ResetCounts();

        Assert.Equal("nothing", await client.GetStringAsync("/nothing"));

        Assert.Equal(0, store.Gets + store.Sets + store.Deletes);
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task During_a_store_outage_routes_without_the_session_keep_working_and_routes_with_it_answer_503_keeping_the_cookie()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        string cookie = client.SessionCookie!;

        store.Failure = new SessionStoreException("down");
        Assert.Equal("nothing", await client.GetStringAsync("/nothing"));
        using var failed = await client.GetAsync("/get/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal(cookie, client.SessionCookie);

        store.Failure = null;
        Assert.Equal("1", await client.GetStringAsync("/get/a"));
    }

    [Fact]
    public async Task GetSession_and_LoadSessionAsync_open_the_same_session_once()
    {
        var store = NewStore();
        await using var app = await StartAsync(store, app => app.MapGet("/both", async (HttpContext context) =>
        {
            var loaded = await context.LoadSessionAsync();
            return ReferenceEquals(loaded, context.GetSession()) ? loaded.Get(new SessionKey<string>("a")) : "different";
        }));
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        store.ResetCounts();

        Assert.Equal("1", await client.GetStringAsync("/both"));
        Assert.Equal(1, store.Gets);
    }

    [Fact]
    public async Task An_endpoint_that_catches_the_store_failure_answers_as_it_chooses_and_nothing_is_saved()
    {
        var store = NewStore();
        await using var app = await StartAsync(store, app => app.MapGet("/tolerant", (HttpContext context) =>
        {
            try
            {
                return context.GetSession().Get(new SessionKey<string>("a")) ?? "<none>";
            }
            catch (SessionStoreException)
            {
                return "degraded";
            }
        }));
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        store.Failure = new SessionStoreException("down");

        Assert.Equal("degraded", await client.GetStringAsync("/tolerant"));
        Assert.Empty(client.LastSetCookies);
    }
}
