using Amazon.DynamoDBv2;
using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>The login demo on Kestrel at 127.0.0.1 with a free port, its logs collected.</summary>
public sealed class DemoServer : IAsyncDisposable
{
    /// <summary>A key for tests that seal the session id in the cookie.</summary>
    public const string EncryptionKey = "dynamodb-store-tests-key-0123456789-abcdefghij";

    private readonly WebApplication _app;

    private DemoServer(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
        Logs = app.Services.GetFakeLogCollector();
    }

    public Uri BaseAddress { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the demo with the DynamoDB store on <paramref name="tableName"/> through <paramref name="client"/>, plus
    /// <paramref name="settings"/> (command-line style, e.g. <c>--Sessions:ExpireAfterSeconds=60</c>).
    /// </summary>
    public static Task<DemoServer> StartOnDynamoDbAsync(
        IAmazonDynamoDB client,
        string tableName,
        IEnumerable<string>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? mapRoutes = null) =>
        StartAsync(
            ["--Sessions:Store=dynamodb", $"--Sessions:DynamoDb:TableName={tableName}", "--Sessions:ExpireAfterSeconds=3600", .. settings ?? []],
            builder =>
            {
                builder.Services.AddSingleton(client);
                configure?.Invoke(builder);
            },
            mapRoutes);

    /// <summary>Starts the demo with <paramref name="settings"/> and nothing else registered.</summary>
    public static async Task<DemoServer> StartAsync(
        IEnumerable<string> settings,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? mapRoutes = null)
    {
        var app = LoginDemoApp.Build(
            ["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Debug", .. settings],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddFakeLogging();
                configure?.Invoke(builder);
            });
        mapRoutes?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new DemoServer(app);
    }

    /// <summary>Every log line and exception the app wrote, as text.</summary>
    public string AllLogText() =>
        string.Join('\n', Logs.GetSnapshot().Select(record => record.Message + "\n" + record.Exception));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
