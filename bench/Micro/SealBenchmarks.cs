using System.Text;
using BenchmarkDotNet.Attributes;

namespace SessionsServerless.Benchmarks;

/// <summary>Seal and unseal of a typical session cookie (a few keys), as the cookie store does them.</summary>
[MemoryDiagnoser]
public class SealBenchmarks
{
    private IronKey _key = null!;
    private CookieSessionPersistence _persistence = null!;
    private SessionData _data = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = new IronKey("benchmark_key_that_is_at_least_32_characters");
        _persistence = new CookieSessionPersistence(new IronKeyring([_key]), TimeProvider.System);
        _data = SessionFixtures.Typical();
        _token = CookieSessionPersistence.Seal(_data, _key);
    }

    [Benchmark]
    public string Seal() => CookieSessionPersistence.Seal(_data, _key);

    [Benchmark]
    public object? Unseal() => _persistence.LoadAsync(_token.AsMemory(), default).Result.Data;

    [Benchmark]
    public object? SealThenUnseal() => _persistence.LoadAsync(CookieSessionPersistence.Seal(_data, _key).AsMemory(), default).Result.Data;
}

/// <summary>Sessions of the sizes the benchmarks use.</summary>
internal static class SessionFixtures
{
    public static SessionData Empty() => new();

    /// <summary>A logged-in user: email, a counter, a role list, an expiry.</summary>
    public static SessionData Typical()
    {
        var data = new SessionData
        {
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            LastAccessed = DateTimeOffset.UtcNow,
        };
        data.Entries["email"] = new SessionEntry(Encoding.UTF8.GetBytes("\"someone@example.com\""), false);
        data.Entries["counter"] = new SessionEntry(Encoding.UTF8.GetBytes("42"), false);
        data.Entries["roles"] = new SessionEntry(Encoding.UTF8.GetBytes("[\"reader\",\"writer\"]"), false);
        return data;
    }

    /// <summary>About 2 KB of session JSON.</summary>
    public static SessionData Large()
    {
        var data = Typical();
        data.Entries["notes"] = new SessionEntry(Encoding.UTF8.GetBytes("\"" + new string('n', 1900) + "\""), false);
        return data;
    }
}
