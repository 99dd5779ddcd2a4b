using System.Security.Cryptography;
using System.Text;
using LoginDemo;
using Microsoft.Extensions.Logging;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>samples/LoginDemo on Kestrel with <c>Sessions:Store=table</c>, configured the way a deployment would be.</summary>
internal static class TableDemo
{
    public const string EncryptionKey = "table_demo_test_key_at_least_32_characters";

    public static Task<KestrelApp> StartAsync(AzuriteServer azurite, string tableName, ILoggerProvider? logs = null, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            "--Sessions:Store=table",
            $"--Sessions:EncryptionKey={EncryptionKey}",
            $"--Sessions:AzureTables:ConnectionString={azurite.ConnectionString}",
            $"--Sessions:AzureTables:TableName={tableName}",
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
