using System.Security.Cryptography;
using System.Text;
using LoginDemo;
using Microsoft.Extensions.Logging;
using SessionsServerless.Tests.Support;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis.Tests.Infrastructure;

/// <summary>samples/LoginDemo on Kestrel with <c>Sessions:Store=redis</c>, configured the way a deployment would be.</summary>
internal static class RedisDemo
{
    public const string EncryptionKey = "redis_demo_test_key_at_least_32_characters";

    public static Task<KestrelApp> StartAsync(RedisServer redis, string keyPrefix, ILoggerProvider? logs = null, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            "--Sessions:Store=redis",
            $"--Sessions:EncryptionKey={EncryptionKey}",
            $"--Sessions:Redis:Configuration={redis.Configuration}",
            $"--Sessions:Redis:KeyPrefix={keyPrefix}",
            .. extraArgs,
        ];
        var app = LoginDemoApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            if (logs is not null)
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            }
        });
        return KestrelApp.StartAsync(app);
    }

    /// <summary>The session id inside a cookie the demo sealed.</summary>
    public static string SessionId(string cookie) => Iron.Unseal(Uri.UnescapeDataString(cookie), EncryptionKey);

    /// <summary>The key the store is given for a session id: its lowercase hex SHA-256.</summary>
    public static string StoreKey(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    public static Dictionary<string, string> Form(string password) =>
        new() { ["email"] = "ada@example.com", ["password"] = password };
}

/// <summary>What a test sees of the Redis server directly.</summary>
internal static class RedisInspection
{
    /// <summary>A connection of the test's own, with admin commands (INFO, CONFIG RESETSTAT) allowed.</summary>
    public static ConnectionMultiplexer Connect(RedisServer redis) =>
        ConnectionMultiplexer.Connect(redis.Configuration + ",allowAdmin=true");

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    public static List<string> Keys(this ConnectionMultiplexer connection, string prefix) =>
        [.. connection.GetServers()[0].Keys(pattern: prefix + "*").Select(key => key.ToString())];
}
