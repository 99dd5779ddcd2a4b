using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SessionsServerless.LambdaGateway;

namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// The Lambda path as a developer runs it locally: sessions-lambda-gateway (in this process) with LoginDemo.dll (or
/// another published app) as its child process, which runs its real Lambda loop against the gateway's Runtime API. The
/// app's output and the gateway's log are kept for failure artifacts.
/// </summary>
internal sealed class GatewayDemo : IAsyncDisposable
{
    public const string EncryptionKey = "browser-tests-lambda-key-0123456789-abcdefghij";

    private readonly LambdaGateway.LambdaGateway _gateway;
    private readonly ConcurrentQueue<string> _output;

    private GatewayDemo(LambdaGateway.LambdaGateway gateway, ConcurrentQueue<string> output)
    {
        _gateway = gateway;
        _output = output;
    }

    public Uri Address => _gateway.Address;

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the gateway with <c>--event v2</c> or <c>v1</c> and the demo on <paramref name="store"/>:
    /// <paramref name="app"/> (a framework-dependent app's dll, run from its folder), LoginDemo.dll when not given.
    /// </summary>
    public static async Task<GatewayDemo> StartAsync(string events, string store, IReadOnlyDictionary<string, string?>? environment = null, string? app = null)
    {
        app ??= Path.Combine(AppContext.BaseDirectory, "LoginDemo.dll");
        var output = new ConcurrentQueue<string>();
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Sessions__EncryptionKey"] = EncryptionKey,
            ["Sessions__Store"] = store,
        };
        var options = new GatewayOptions
        {
            Port = 0,
            EventFormat = events == "v1" ? EventFormat.RestApi : EventFormat.HttpApi,
            Command = "dotnet",
            Arguments = [app],
            WorkingDirectory = Path.GetDirectoryName(app)!,
            Environment = variables,
            AppOutput = (line, _) => output.Enqueue(line),
        };
        var gateway = await LambdaGateway.LambdaGateway.StartAsync(options, logging => logging.AddProvider(new QueueLoggerProvider(output)));
        return new GatewayDemo(gateway, output);
    }

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();
}
