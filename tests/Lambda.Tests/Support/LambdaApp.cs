using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>An app served by the real Lambda host (LambdaServer and its Runtime API loop) from a <see cref="TestRuntimeApi"/>.</summary>
internal sealed class LambdaApp : IAsyncDisposable
{
    public const string EncryptionKey = "lambda-tests-encryption-key-0123456789abcdef";

    private readonly WebApplication _app;

    private LambdaApp(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    /// <summary>The LoginDemo sample, exactly as LoginDemoApp.Build makes it, served from <paramref name="runtime"/>.</summary>
    public static async Task<LambdaApp> StartLoginDemoAsync(TestRuntimeApi runtime, Action<WebApplicationBuilder>? configure = null)
    {
        var app = LoginDemoApp.Build([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration["Sessions:EncryptionKey"] = EncryptionKey;
            builder.Services.AddLambdaRuntime(runtime.Address, logs: LogCapture.Quiet);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new LambdaApp(app);
    }

    /// <summary>An app with sessions and the given endpoints, served from <paramref name="runtime"/>.</summary>
    public static async Task<LambdaApp> StartAsync(
        TestRuntimeApi runtime,
        Action<WebApplication> endpoints,
        Action<WebApplicationBuilder>? configure = null,
        Action<LambdaHostingOptions>? options = null,
        LambdaLogSettings? logs = null,
        Action<WebApplication>? beforeSessions = null,
        LambdaEnvironment? environment = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSessions(sessions => sessions.EncryptionKey = EncryptionKey);
        builder.Services.AddLambdaRuntime(runtime.Address, options, logs ?? LogCapture.Quiet, environment is null ? null : environment with { SetsExitCode = false });
        configure?.Invoke(builder);
        var app = builder.Build();
        beforeSessions?.Invoke(app);
        app.UseSessions();
        endpoints(app);
        await app.StartAsync();
        return new LambdaApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
