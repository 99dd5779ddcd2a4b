using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Tests.Support;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis.Tests.Infrastructure;

/// <summary>A <see cref="RedisSessionStore"/> over the test Redis with a prefix of its own, a clock the test moves and its logs kept.</summary>
internal sealed class StoreUnderTest : IDisposable
{
    private readonly ILoggerFactory _loggers;

    public StoreUnderTest(RedisServer redis, Action<RedisSessionStoreOptions>? configure = null)
    {
        Connection = RedisInspection.Connect(redis);
        _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        var options = new RedisSessionStoreOptions { KeyPrefix = Prefix };
        configure?.Invoke(options);
        Store = new RedisSessionStore(Connection, Options.Create(options), Clock, _loggers.CreateLogger<RedisSessionStore>());
    }

    public string Prefix { get; } = RedisServer.NewKeyPrefix();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public CapturingLoggerProvider Logs { get; } = new();

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    public RedisSessionStore Store { get; }

    /// <summary>A key as the middleware passes it: the lowercase hex SHA-256 of a session id.</summary>
    public static string NewKey() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())));

    public StoredSession Session(string data, TimeSpan? expiresIn = null, string? version = null) =>
        new() { Data = data, ExpiresAt = expiresIn is { } span ? Clock.GetUtcNow() + span : null, Version = version };

    public void Dispose()
    {
        _loggers.Dispose();
        Connection.Dispose();
    }
}
