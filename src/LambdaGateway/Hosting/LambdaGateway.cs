using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// The gateway: Kestrel on two loopback ports, one for HTTP clients and one for the Lambda Runtime API, and the app it
/// runs. Built without the app's configuration (no appsettings.json, no ASPNETCORE_URLS), so running it in the app's
/// folder changes nothing.
/// </summary>
internal sealed class LambdaGateway : IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly FunctionInvoker _invoker;

    private LambdaGateway(WebApplication host, FunctionInvoker invoker, int port, int runtimeApiPort)
    {
        _host = host;
        _invoker = invoker;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        RuntimeApi = $"127.0.0.1:{runtimeApiPort.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Where HTTP clients send requests.</summary>
    public Uri Address { get; }

    /// <summary>The Runtime API's <c>host:port</c>: the app's <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string RuntimeApi { get; }

    /// <summary>The running app's process id, or <see langword="null"/> (no command, or the app is not running).</summary>
    public int? AppProcessId => _invoker.AppProcessId;

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _host.WaitForShutdownAsync();

    /// <summary>Listens, then starts the app when there is a command.</summary>
    /// <exception cref="IOException">A port is in use.</exception>
    public static async Task<LambdaGateway> StartAsync(GatewayOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        ListenOptions? publicEndpoint = null, runtimeEndpoint = null;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => publicEndpoint = listen);
            kestrel.Listen(IPAddress.Loopback, options.RuntimeApiPort, listen => runtimeEndpoint = listen);
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            configureLogging(builder.Logging);
        }

        var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SessionsServerless.LambdaGateway");
        var invoker = new FunctionInvoker(options, TimeProvider.System, logger);
        var runtime = new RuntimeApiHandler(invoker, FunctionArn(), options.EventFormat);

        // Both endpoints are bound before the first request arrives; their ports are known from then on.
        int RuntimePort() => runtimeEndpoint!.IPEndPoint!.Port;
        var gateway = new GatewayRequestHandler(options, invoker, () => $"127.0.0.1:{RuntimePort()}", TimeProvider.System, logger);
        host.Run(context => context.Connection.LocalPort == RuntimePort() ? runtime.HandleAsync(context) : gateway.HandleAsync(context));

        try
        {
            await host.StartAsync();
        }
        catch
        {
            invoker.Dispose();
            await host.DisposeAsync();
            throw;
        }

        var started = new LambdaGateway(host, invoker, publicEndpoint!.IPEndPoint!.Port, RuntimePort());
        GatewayLog.Listening(logger, started.Address, options.EventFormat == EventFormat.HttpApi ? "HTTP API payload 2.0" : "REST API", started.RuntimeApi);
        invoker.Start(started.RuntimeApi);
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        // The app first: once it is gone, nothing waits on the Runtime API.
        _invoker.Dispose();
        await _host.StopAsync();
        await _host.DisposeAsync();
    }

    private static string FunctionArn()
    {
        string region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } configured ? configured : "us-east-1";
        return $"arn:aws:lambda:{region}:{EventJson.AccountId}:function:local";
    }
}
