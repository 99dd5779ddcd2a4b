using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// The SnapStart restore flow (warm-up and hooks, <c>/runtime/restore/next</c>, randomness drawn again, restore errors) and
/// Lambda Managed Instances' concurrent invocations, through the real loop.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class SnapStartAndConcurrencyTests
{
    private static readonly SessionKey<string> Note = new("note");

    [Fact]
    public async Task SnapStart_warms_up_and_runs_the_hooks_around_restore_next_and_seals_with_new_salts_after_each_restore()
    {
        var events = new ConcurrentQueue<string>();
        var cookies = new ConcurrentQueue<string>();
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints => endpoints.MapGet("/warm", (HttpContext context, Session session) =>
            {
                session.Set(Note, "warm");
                context.Response.OnCompleted(() =>
                {
                    cookies.Enqueue(context.Response.Headers.SetCookie.ToString());
                    return Task.CompletedTask;
                });
                return "warm";
            }),
            options: options =>
            {
                options.SnapshotWarmupPaths.Add("/warm");
                options.BeforeSnapshot.Add((_, _) =>
                {
                    events.Enqueue("before-snapshot");
                    return Task.CompletedTask;
                });
                options.AfterRestore.Add((_, _) =>
                {
                    events.Enqueue("after-restore");
                    return Task.CompletedTask;
                });
            },
            environment: new LambdaEnvironment(1, SnapStart: true));

        await runtime.RestoreRequested;
        Assert.Equal(["before-snapshot"], events);
        string snapshotCookie = Assert.Single(cookies);
        runtime.Restore();

        var first = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/warm"));
        var second = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/warm"));
        Assert.Equal(["before-snapshot", "after-restore"], events);

        // Fe26.2*(password id)*encryption salt*iv*encrypted*expiry*mac salt*mac: the sealing salts drawn before the snapshot
        // (which every restored copy would share) are not used after the restore; within one copy they stay for the interval.
        var before = Token(snapshotCookie);
        var after = Token(Assert.Single(first.Cookies));
        Assert.NotEqual(before[2], after[2]);
        Assert.NotEqual(before[6], after[6]);
        Assert.NotEqual(before[3], after[3]);
        Assert.Equal(after[2], Token(Assert.Single(second.Cookies))[2]);
    }

    [Fact]
    public async Task An_after_restore_hook_that_fails_is_reported_to_restore_error()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints => endpoints.MapGet("/ok", () => "fine"),
            options: options => options.AfterRestore.Add((_, _) => throw new InvalidOperationException("The connection pool could not be rebuilt.")),
            environment: new LambdaEnvironment(1, SnapStart: true));

        await runtime.RestoreRequested;
        runtime.Restore();
        var error = await runtime.RestoreError;
        Assert.Equal("Runtime.AfterRestoreError", error.ErrorType);
        Assert.Equal("Runtime.AfterRestoreError", error.Document["errorType"]!.GetValue<string>());
        Assert.Contains("connection pool", error.Document["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_max_concurrency_of_three_three_invocations_run_at_once_each_with_its_own_trace_id()
    {
        int inFlight = 0;
        var allThere = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints => endpoints.MapGet("/together", async (HttpContext context) =>
            {
                if (Interlocked.Increment(ref inFlight) == 3)
                {
                    allThere.TrySetResult();
                }

                // Each waits for the other two: with one poll at a time this would never complete.
                await allThere.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await Task.Yield();
                return Results.Text(new JsonObject
                {
                    ["traceId"] = context.GetLambdaInvocation()!.TraceId,
                    ["traceVariable"] = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
                }.ToJsonString(), "application/json");
            }),
            environment: new LambdaEnvironment(3, SnapStart: false));

        string[] traceIds = [.. Enumerable.Range(1, 3).Select(i => $"Root=1-65a1b2c3-00000000000000000000000{i};Parent=000000000000000{i};Sampled=0")];
        var results = await Task.WhenAll(traceIds.Select(id => runtime.InvokeAsync(TestEvents.HttpApi("GET", "/together"), traceId: id)));

        for (int i = 0; i < traceIds.Length; i++)
        {
            Assert.Equal(200, results[i].StatusCode);
            var body = JsonNode.Parse(results[i].Body)!;
            Assert.Equal(traceIds[i], body["traceId"]!.GetValue<string>());

            // The process-wide variable cannot belong to three invocations at once, so it is not set.
            Assert.NotEqual(traceIds[i], body["traceVariable"]?.GetValue<string>());
        }
    }

    private static string[] Token(string setCookie) => setCookie["session=".Length..].Split(';')[0].Split('*');
}
