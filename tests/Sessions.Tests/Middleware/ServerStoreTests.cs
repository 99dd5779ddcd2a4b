using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Server stores through the middleware: ids, hashing, rotation, deletion, call counts, failures and races.</summary>
public sealed class ServerStoreTests
{
    private static Task<KestrelApp> StartAsync(ScriptedStore store, Action<SessionsOptions>? configure = null, TimeProvider? clock = null) =>
        SessionTestApp.StartAsync(
            options =>
            {
                options.Store = "scripted";
                configure?.Invoke(options);
            },
            clock,
            sessions => sessions.AddStore("scripted", _ => store));

    private static ScriptedStore NewStore(TimeProvider? clock = null) =>
        new(new MemoryStore(clock ?? TimeProvider.System, Options.Create(new MemoryStoreOptions())));

    [Fact]
    public async Task The_cookie_carries_a_sealed_id_and_the_store_only_ever_sees_its_hash()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();

        await client.PostAsync("/set/email/a@b.c");

        Assert.True(Iron.TryUnseal(client.SessionCookie!, SessionTestApp.Key, out string? id));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", id);
        string expectedKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id!)));
        Assert.All(store.Keys, key => Assert.Equal(expectedKey, key));
        Assert.DoesNotContain(id!, (await store.Inner.GetAsync(expectedKey, default))!.Data, StringComparison.Ordinal);
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task Without_a_key_the_cookie_carries_the_raw_id()
    {
        var store = NewStore();
        await using var app = await StartAsync(store, options => options.EncryptionKey = null);
        using var client = app.CreateClient();

        await client.PostAsync("/set/email/a@b.c");

        Assert.Matches("^[A-Za-z0-9_-]{43}$", client.SessionCookie);
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task A_visitor_with_an_empty_session_causes_no_store_write()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();

        await client.GetStringAsync("/get/email");
        await client.GetStringAsync("/nothing");

        Assert.Equal(0, store.Sets);
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task A_read_only_request_within_the_renewal_threshold_costs_one_read_and_no_write()
    {
        var clock = SessionTestApp.NewClock();
        var store = NewStore(clock);
        await using var app = await StartAsync(store, options => options.ExpireAfterSeconds = 3600, clock);
        using var client = app.CreateClient();
        await client.GetStringAsync("/count");
        store.ResetCounts();

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("1", await client.GetStringAsync("/counter"));

        Assert.Equal((1, 0, 0), (store.Gets, store.Sets, store.Deletes));
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task A_changing_request_costs_one_read_and_one_write_and_keeps_the_cookie()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.GetStringAsync("/count");
        store.ResetCounts();

        Assert.Equal("2", await client.GetStringAsync("/count"));

        Assert.Equal((1, 1, 0), (store.Gets, store.Sets, store.Deletes));
        Assert.Empty(client.LastSetCookies);
    }

    [Fact]
    public async Task Regenerating_the_id_moves_the_data_and_makes_the_old_cookie_useless()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string before = client.SessionCookie!;

        await client.PostAsync("/rotate");

        Assert.NotEqual(before, client.SessionCookie);
        Assert.Equal(1, store.Inner.Count);
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
        using var attacker = app.CreateClient();
        attacker.Cookies["session"] = before;
        Assert.Equal("<none>", await attacker.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task Delete_removes_the_record_and_clears_the_cookie()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string before = client.SessionCookie!;

        await client.PostAsync("/delete");

        Assert.Equal(0, store.Inner.Count);
        Assert.Contains("max-age=0", Assert.Single(client.LastSetCookies), StringComparison.Ordinal);
        client.Cookies["session"] = before;
        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task An_expired_session_is_deleted_from_the_store()
    {
        var clock = SessionTestApp.NewClock();
        var store = NewStore(clock);
        await using var app = await StartAsync(store, options => options.ExpireAfterSeconds = 60, clock);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");

        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
        Assert.Equal(0, store.Inner.Count);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_answers_503_and_keeps_the_cookie()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/email/a@b.c");
        string before = client.SessionCookie!;

        store.Failure = new SessionStoreException("The table is gone.");
        using var response = await client.GetAsync("/get/email");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal(before, client.SessionCookie);
        store.Failure = null;
        Assert.Equal("a@b.c", await client.GetStringAsync("/get/email"));
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_answers_503_and_the_stored_session_is_unchanged()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.GetStringAsync("/count");

        // A response with a body: the save runs as the body starts, so only the status can still change.
        store.BeforeNextUpdate = _ => throw new SessionStoreException("Throttled.");
        using var withBody = await client.PostAsync("/set/email/a@b.c");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withBody.StatusCode);
        Assert.Equal("no-store", withBody.Headers.CacheControl?.ToString());

        // A redirect: the save runs after the endpoint, so the whole response says what happened.
        store.BeforeNextUpdate = _ => throw new SessionStoreException("Throttled.");
        using var redirect = await client.PostAsync("/set-and-redirect/email/a@b.c");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, redirect.StatusCode);
        Assert.Null(redirect.Headers.Location);
        Assert.Equal("The session could not be saved. Please try again.", await redirect.Content.ReadAsStringAsync());

        Assert.Equal("<none>", await client.GetStringAsync("/get/email"));
        Assert.Equal("1", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task A_write_that_loses_a_race_is_replayed_on_the_fresh_data_so_both_changes_survive()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/first");

        store.BeforeNextUpdate = key => store.WriteAsAnotherRequestAsync(key, "b", "\"from the other request\"");
        await client.PostAsync("/set/c/mine");

        Assert.Equal("first", await client.GetStringAsync("/get/a"));
        Assert.Equal("from the other request", await client.GetStringAsync("/get/b"));
        Assert.Equal("mine", await client.GetStringAsync("/get/c"));
    }

    [Fact]
    public async Task A_key_both_requests_set_ends_with_the_value_of_the_request_that_saved_last()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/first");

        store.BeforeNextUpdate = key => store.WriteAsAnotherRequestAsync(key, "a", "\"theirs\"");
        await client.PostAsync("/set/a/mine");

        Assert.Equal("mine", await client.GetStringAsync("/get/a"));
    }

    [Fact]
    public async Task A_session_deleted_by_another_request_stays_deleted_and_the_browsers_cookie_is_left_alone()
    {
        var store = NewStore();
        await using var app = await StartAsync(store);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/first");

        store.BeforeNextUpdate = key => store.Inner.DeleteAsync(key, default);
        await client.PostAsync("/set/c/mine");

        // The other request (a logout, or a login that rotated the id) already sent the browser its cookie.
        Assert.Empty(client.LastSetCookies);
        Assert.Equal(0, store.Inner.Count);
    }

    [Fact]
    public async Task A_conflict_that_persists_past_the_retries_answers_409()
    {
        var store = NewStore();
        await using var app = await StartAsync(store, options => options.ConcurrencyRetries = 0);
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/first");

        store.BeforeNextUpdate = key => store.WriteAsAnotherRequestAsync(key, "b", "1");
        using var response = await client.PostAsync("/set/c/mine");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("<none>", await client.GetStringAsync("/get/c"));
    }

    [Fact]
    public async Task Concurrent_requests_on_one_session_never_corrupt_it()
    {
        await using var app = await SessionTestApp.StartAsync(options => options.Store = SessionStoreNames.Memory);
        using var client = app.CreateClient();
        await client.PostAsync("/set/seed/0");
        string cookie = client.SessionCookie!;

        var writers = Enumerable.Range(0, 16).Select(async i =>
        {
            using var parallel = app.CreateClient();
            parallel.Cookies["session"] = cookie;
            using var response = await parallel.PostAsync($"/set/k{i}/v{i}");
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(writers);

        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Conflict, status.ToString()));
        int saved = 0;
        for (int i = 0; i < 16; i++)
        {
            string value = await client.GetStringAsync($"/get/k{i}");
            if (statuses[i] == HttpStatusCode.OK)
            {
                Assert.Equal($"v{i}", value);
                saved++;
            }
        }

        Assert.Equal("0", await client.GetStringAsync("/get/seed"));
        Assert.True(saved > 0);
    }

    [Fact]
    public async Task The_configured_store_is_reachable_outside_requests()
    {
        await using var app = await SessionTestApp.StartAsync(options => options.Store = "MEMORY");
        Assert.IsType<MemoryStore>(app.Services.GetSessionStore());

        await using var cookieApp = await SessionTestApp.StartAsync();
        Assert.Null(cookieApp.Services.GetSessionStore());
    }
}
