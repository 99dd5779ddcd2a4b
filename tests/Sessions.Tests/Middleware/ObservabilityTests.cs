using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Metrics a dashboard can use, and logs that never carry a key, a cookie or a session id.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task Counters_report_created_loaded_rotated_and_deleted_sessions_and_store_latency()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.Store = SessionStoreNames.Memory;
            options.ExpireAfterSeconds = 60;
        }, clock);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var created = new MetricCollector<long>(meters, SessionMetrics.MeterName, "sessions.created");
        using var loaded = new MetricCollector<long>(meters, SessionMetrics.MeterName, "sessions.loaded");
        using var rotated = new MetricCollector<long>(meters, SessionMetrics.MeterName, "sessions.rotated");
        using var deleted = new MetricCollector<long>(meters, SessionMetrics.MeterName, "sessions.deleted");
        using var storeDuration = new MetricCollector<double>(meters, SessionMetrics.MeterName, "sessions.store.duration");
        using var client = app.CreateClient();

        await client.PostAsync("/set/a/1");     // created
        await client.PostAsync("/rotate");      // loaded, rotated
        await client.PostAsync("/delete");      // loaded, deleted
        await client.PostAsync("/set/a/2");     // created

        Assert.Equal(2, created.GetMeasurementSnapshot().Count);
        Assert.Equal(2, loaded.GetMeasurementSnapshot().Count);
        Assert.Single(rotated.GetMeasurementSnapshot());
        Assert.Single(deleted.GetMeasurementSnapshot());
        var operations = storeDuration.GetMeasurementSnapshot().Select(m => (string)m.Tags["operation"]!).Distinct().Order();
        Assert.Equal(["delete", "get", "set"], operations);
    }

    [Fact]
    public async Task Expired_sessions_are_counted()
    {
        var clock = SessionTestApp.NewClock();
        await using var app = await SessionTestApp.StartAsync(options => options.ExpireAfterSeconds = 60, clock);
        using var expired = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), SessionMetrics.MeterName, "sessions.expired");
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetAsync("/get/a");

        Assert.Single(expired.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Logs_never_contain_the_key_a_cookie_or_a_session_id()
    {
        var logs = new CapturingLoggerProvider();
        var store = new ScriptedStore(new MemoryStore(TimeProvider.System, Options.Create(new MemoryStoreOptions())));
        await using var app = await SessionTestApp.StartAsync(
            options => options.Store = "scripted",
            stores: sessions => sessions.AddStore("scripted", _ => store),
            logger: logs);
        using var client = app.CreateClient();

        await client.PostAsync("/set/email/a@b.c");
        string cookie = client.SessionCookie!;
        Iron.TryUnseal(cookie, SessionTestApp.Key, out string? id);
        await client.PostAsync("/rotate");
        string rotatedCookie = client.SessionCookie!;
        client.Cookies["session"] = cookie[..^3] + "abc";
        await client.GetAsync("/get/email");
        client.Cookies["session"] = rotatedCookie;
        store.Failure = new SessionStoreException("Store down.");
        await client.GetAsync("/get/email");
        store.Failure = null;
        store.BeforeNextUpdate = _ => throw new SessionStoreException("Throttled.");
        await client.PostAsync("/set/email/b@c.d");

        var records = logs.Records.ToList();
        Assert.Contains(records, r => r.Level == LogLevel.Error);
        Assert.True(records.Any(r => r.Message.Contains("rejected", StringComparison.Ordinal)), string.Join("\n", records.Select(r => r.Level + " " + r.Category + " " + r.Message)));
        foreach (var record in records)
        {
            string text = record.Message + " " + record.Exception;
            Assert.DoesNotContain(SessionTestApp.Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(cookie, text, StringComparison.Ordinal);
            Assert.DoesNotContain(rotatedCookie, text, StringComparison.Ordinal);
            Assert.DoesNotContain(id!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(store.Keys[0], text, StringComparison.Ordinal);
        }
    }
}
