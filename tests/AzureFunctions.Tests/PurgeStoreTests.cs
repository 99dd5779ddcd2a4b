using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The purge timer works with any store through the core's contract: the cookie store and stores that expire sessions
/// themselves have nothing to purge, a failing store fails the invocation, a slow one stops at the time limit.
/// </summary>
public sealed class PurgeStoreTests
{
    private const string Key = "purge-tests-key-0123456789-abcdefghijklmn";

    [Fact]
    public async Task The_cookie_store_has_nothing_to_purge()
    {
        await using var handler = await StartAsync(store: null);

        var result = await InvokeAsync(handler, HttpStatusCode.OK);

        Assert.Equal(0, result["Outputs"]!["purged"]!.GetValue<int>());
        Assert.Contains("Sessions:Store is cookie", result["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_without_a_purge_is_left_to_its_own_expiry()
    {
        await using var handler = await StartAsync(_ => new SelfExpiringStore());

        var result = await InvokeAsync(handler, HttpStatusCode.OK);

        Assert.Contains("does not implement IPurgeableSessionStore", result["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_failure_fails_the_invocation_with_the_store_message()
    {
        await using var handler = await StartAsync(_ => new ScriptedStore(_ => throw new SessionStoreException("The table 'sessions' does not exist. Create it or fix Sessions:AzureTables:TableName.")));

        using var response = await handler.Host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("The table 'sessions' does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_that_outlasts_the_time_limit_stops_and_reports_success()
    {
        var cancelled = new TaskCompletionSource();
        await using var handler = await StartAsync(
            _ => new ScriptedStore(async token =>
            {
                await using var registration = token.Register(cancelled.SetResult);
                await Task.Delay(Timeout.Infinite, token);
                return 0;
            }),
            options => options.PurgeTimeLimit = TimeSpan.FromMilliseconds(300));

        var result = await InvokeAsync(handler, HttpStatusCode.OK);

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Contains("at the 0.3 s time limit", result["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_the_purge_without_sessions_says_what_to_add()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InProcessHandler.Build("7071", app => app.MapSessionPurge()));

        Assert.Contains("AddSessions", error.Message, StringComparison.Ordinal);
    }

    private static Task<InProcessHandler> StartAsync(Func<IServiceProvider, ISessionStore>? store, Action<AzureFunctionsHostingOptions>? configureHosting = null) =>
        InProcessHandler.StartAsync(
            app =>
            {
                app.UseSessions();
                app.MapSessionPurge();
            },
            services =>
            {
                var sessions = services.AddSessions(options =>
                {
                    options.EncryptionKey = Key;
                    options.Store = store is null ? "cookie" : "scripted";
                });
                if (store is not null)
                {
                    sessions.AddStore("scripted", store);
                }
            },
            configureHosting);

    private static async Task<JsonObject> InvokeAsync(InProcessHandler handler, HttpStatusCode expected)
    {
        using var response = await handler.Host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
