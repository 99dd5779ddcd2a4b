using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.Benchmarks;

/// <summary>
/// The session code of one request with the cookie store, without HTTP: load the cookie, use the session, commit before
/// the response starts. Allocations are everything session code allocates for the request (the HttpContext is reused).
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private static readonly SessionKey<int> Counter = new("counter");

    private SessionRuntime _runtime = null!;
    private DefaultHttpContext _context = null!;
    private string _typicalCookie = null!; // the whole Cookie header, as Kestrel would hand it over
    private string _largeCookie = null!;

    [Params("empty", "typical", "2KB")]
    public string Session { get; set; } = "typical";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSessions(options =>
        {
            options.EncryptionKey = "benchmark_key_that_is_at_least_32_characters";
            options.ExpireAfter = TimeSpan.FromHours(1);
        });
        var provider = services.BuildServiceProvider();
        _runtime = provider.GetRequiredService<SessionRuntime>();
        var key = new IronKey("benchmark_key_that_is_at_least_32_characters");
        _typicalCookie = "session=" + CookieSessionPersistence.Seal(SessionFixtures.Typical(), key);
        _largeCookie = "session=" + CookieSessionPersistence.Seal(SessionFixtures.Large(), key);
        _context = new DefaultHttpContext();
    }

    /// <summary>A request that only reads the session (like <c>GET /read</c>): no re-seal within the renewal threshold.</summary>
    [Benchmark]
    public async Task<int> ReadOnlyRequest()
    {
        var context = Reset();
        var active = await _runtime.Loader.LoadAsync(context);
        int value = active.Session.Get(Counter);
        await _runtime.Committer.CommitAsync(context, active, responseIsReplaceable: true);
        return value;
    }

    /// <summary>A request that changes the session (like <c>GET /counter</c>): unseal, set, re-seal, Set-Cookie.</summary>
    [Benchmark]
    public async Task<int> WritingRequest()
    {
        var context = Reset();
        var active = await _runtime.Loader.LoadAsync(context);
        int value = active.Session.Get(Counter) + 1;
        active.Session.Set(Counter, value);
        await _runtime.Committer.CommitAsync(context, active, responseIsReplaceable: true);
        return value;
    }

    private DefaultHttpContext Reset()
    {
        _context.Response.Headers.Clear();
        _context.Request.Headers.Cookie = Session switch
        {
            "typical" => _typicalCookie,
            "2KB" => _largeCookie,
            _ => default,
        };
        return _context;
    }
}
