using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SessionsServerless.LambdaGateway.Tests.Support;

/// <summary>
/// The gateway, started in this process on free loopback ports, with its log and the app's output kept for assertions and
/// failure messages, and an HTTP client that neither follows redirects nor keeps cookies.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly LambdaGateway _gateway;
    private readonly FakeLogCollector _log;
    private readonly ConcurrentQueue<string> _appOutput;

    private TestGateway(LambdaGateway gateway, FakeLogCollector log, ConcurrentQueue<string> appOutput)
    {
        _gateway = gateway;
        _log = log;
        _appOutput = appOutput;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = gateway.Address,
            Timeout = TimeSpan.FromSeconds(90),
        };
    }

    public HttpClient Client { get; }

    public Uri Address => _gateway.Address;

    public string RuntimeApi => _gateway.RuntimeApi;

    public int? AppProcessId => _gateway.AppProcessId;

    /// <summary>What the gateway logged, one message a line.</summary>
    public string Log => string.Join('\n', _log.GetSnapshot().Select(record => $"{record.Level}: {record.Message}"));

    /// <summary>What the app wrote.</summary>
    public string AppOutput => string.Join('\n', _appOutput);

    /// <summary>Starts a gateway with no app: the test plays the app through <see cref="RuntimePlayer"/>.</summary>
    public static Task<TestGateway> StartAsync(EventFormat format, TimeSpan? timeout = null, TimeSpan? initTimeout = null) =>
        StartAsync(new GatewayOptions
        {
            Port = 0,
            EventFormat = format,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
            InitTimeout = initTimeout ?? TimeSpan.FromSeconds(60),
        });

    public static async Task<TestGateway> StartAsync(GatewayOptions options)
    {
        var log = new FakeLogCollector();
        var appOutput = new ConcurrentQueue<string>();
        var withCapture = new GatewayOptions
        {
            Port = options.Port,
            RuntimeApiPort = options.RuntimeApiPort,
            EventFormat = options.EventFormat,
            Timeout = options.Timeout,
            InitTimeout = options.InitTimeout,
            Command = options.Command,
            Arguments = options.Arguments,
            WorkingDirectory = options.WorkingDirectory,
            Environment = options.Environment,
            AppOutput = (line, _) => appOutput.Enqueue(line),
        };
        var gateway = await LambdaGateway.StartAsync(withCapture, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(new FakeLoggerProvider(log));
        });
        return new TestGateway(gateway, log, appOutput);
    }

    /// <summary>Waits until the log has a message containing <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The gateway never logged '{text}'. Its log:\n{Log}");
            await Task.Delay(20);
        }
    }

    /// <summary>A failure message with the gateway's log and the app's output.</summary>
    public string Diagnostics() => $"Gateway log:\n{Log}\nApp output:\n{AppOutput}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.DisposeAsync();
    }
}
