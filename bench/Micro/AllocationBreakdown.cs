using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.Benchmarks;

/// <summary>
/// Where a writing request's allocations go (<c>--allocations</c>): the bytes allocated on the thread by each step of
/// a typical session's load, change and commit, averaged over many requests after a warm-up, and the Set-Cookie string
/// the response must carry. BenchmarkDotNet gives the total; this gives the parts.
/// </summary>
internal static class AllocationBreakdown
{
    private const int Requests = 20_000;
    private static readonly SessionKey<int> Counter = new("counter");

    public static void Run()
    {
        var services = new ServiceCollection();
        services.AddSessions(options =>
        {
            options.EncryptionKey = "benchmark_key_that_is_at_least_32_characters";
            options.ExpireAfter = TimeSpan.FromHours(1);
        });
        var runtime = services.BuildServiceProvider().GetRequiredService<SessionRuntime>();
        string cookie = "session=" + CookieSessionPersistence.Seal(SessionFixtures.Typical(), new IronKey("benchmark_key_that_is_at_least_32_characters"));
        var context = new DefaultHttpContext();

        long load = 0, change = 0, commit = 0, setCookie = 0;
        for (int i = 0; i < Requests * 2; i++)
        {
            context.Response.Headers.Clear();
            context.Request.Headers.Cookie = cookie;
            long start = GC.GetAllocatedBytesForCurrentThread();
            var active = runtime.Loader.LoadAsync(context).GetAwaiter().GetResult();
            long loaded = GC.GetAllocatedBytesForCurrentThread();
            active.Session.Set(Counter, active.Session.Get(Counter) + 1);
            long changed = GC.GetAllocatedBytesForCurrentThread();
            runtime.Committer.CommitAsync(context, active, responseIsReplaceable: true).GetAwaiter().GetResult();
            long committed = GC.GetAllocatedBytesForCurrentThread();
            if (i >= Requests)
            {
                load += loaded - start;
                change += changed - loaded;
                commit += committed - changed;
                // A .NET string: a 20-byte header (object header, method table, length), two bytes a character, the terminator.
                setCookie += 22 + (2L * context.Response.Headers.SetCookie.ToString().Length);
            }
        }

        var text = new StringBuilder();
        text.AppendLine("| Step of a writing request (typical session) | Bytes allocated |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine($"| Load: cookie read, unseal, session JSON read | {load / Requests} |");
        text.AppendLine($"| Endpoint: Get and Set of the counter | {change / Requests} |");
        text.AppendLine($"| Commit: session JSON write, seal, Set-Cookie header | {commit / Requests} |");
        text.AppendLine($"| All | {(load + change + commit) / Requests} |");
        text.AppendLine($"| of which the Set-Cookie string | {setCookie / Requests} |");
        text.AppendLine($"| **Beyond the Set-Cookie string** | **{(load + change + commit - setCookie) / Requests}** |");
        Console.Write(text.ToString());
    }
}
