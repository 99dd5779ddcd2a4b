using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionsServerless.TestSupport.FunctionsWorker.Rpc;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// A local Azure Functions host for a published .NET isolated-worker app (no <c>func</c> needed): it starts the worker
/// as the host does and talks the FunctionRpc protocol to it over gRPC, serves its HTTP functions on a front door, and
/// invokes its timer functions.
/// </summary>
/// <remarks>
/// <para>
/// Use: publish the app (<c>dotnet publish -o folder</c>; the folder has worker.config.json and functions.metadata),
/// then <c>await using var host = await WorkerFunctionsHost.StartAsync(folder, settings, token);</c>. When it returns
/// the worker has connected, initialised, indexed its functions and loaded every one (<see cref="Functions"/>).
/// </para>
/// <para>
/// HTTP: send requests to <see cref="BaseAddress"/> (routes as the app declares them, after host.json's
/// <c>extensions.http.routePrefix</c>, "api" by default, none when it is empty). The host matches the function by its
/// route template and methods (404 when none matches), sends the InvocationRequest (with an RpcTraceContext: a child of
/// the request's <c>traceparent</c>, or a new trace) and forwards the request to the worker's own HTTP endpoint (the
/// <c>HttpUri</c> capability of <c>ConfigureFunctionsWebApplication()</c>) with <c>x-ms-invocation-id</c>, as the real
/// host's ASP.NET Core integration does; the worker's response (status, headers, every Set-Cookie, body) streams back.
/// A function that fails before answering gives the host's 500. Routes are ASP.NET Core route templates: inline
/// constraints (<c>{id:int}</c>, <c>{name:alpha}</c>, <c>regex(…)</c>), optional parameters and defaults are checked
/// as the host's router checks them, the most specific template first.
/// </para>
/// <para>
/// Timers: <see cref="InvokeTimerAsync"/> sends the TimerInfo input the host sends on a schedule and returns the outcome
/// with the logs written during it. Every finished invocation is in <see cref="Invocations"/>, every RpcLog the worker
/// sent in <see cref="Logs"/>.
/// </para>
/// <para>
/// The worker gets, as environment: <c>FUNCTIONS_WORKER_RUNTIME</c>, <c>FUNCTIONS_APPLICATION_DIRECTORY</c>,
/// <c>FUNCTIONS_WORKER_DIRECTORY</c> and <c>AzureWebJobsScriptRoot</c> (the folder), then local.settings.json's
/// <c>Values</c> if the folder has one, then the app settings passed to <see cref="StartAsync"/> (which win); use
/// <c>__</c> for configuration sections (<c>Sessions__Store</c>). A worker that exits or does not finish the
/// handshake within <see cref="StartTimeout"/> gives an <see cref="InvalidOperationException"/> or
/// <see cref="TimeoutException"/> with the tail of its output. <see cref="DisposeAsync"/> sends WorkerTerminate, waits
/// for the process to exit and kills it (with its children) when it does not.
/// </para>
/// </remarks>
public sealed class WorkerFunctionsHost : IAsyncDisposable
{
    /// <summary>The host version sent in WorkerInitRequest.</summary>
    public const string HostVersion = "4.1041.200";

    /// <summary>How long the worker has to start, connect and load its functions.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How long an invocation may take before the host gives up on it.</summary>
    public static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(100);

    private const int MaxMessageLength = int.MaxValue;
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(10);

    private readonly WorkerAppFolder _app;
    private readonly WorkerChannel _channel;
    private readonly WebApplication _server;
    private readonly List<FunctionInvocation> _invocations = [];
    private WorkerProcess? _process;
    private HttpFrontDoor? _frontDoor;
    private int _disposed;

    private WorkerFunctionsHost(WorkerAppFolder app, WorkerChannel channel, WebApplication server, int httpPort)
    {
        _app = app;
        _channel = channel;
        _server = server;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    /// <summary>The front door: where HTTP-triggered functions are served (e.g. <c>new Uri(host.BaseAddress, "login")</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The route prefix from host.json (<c>extensions.http.routePrefix</c>; "api" when absent; empty = routes at the root).</summary>
    public string RoutePrefix => _app.RoutePrefix;

    /// <summary>The functions the worker indexed and loaded, in the order it listed them.</summary>
    public IReadOnlyList<WorkerFunction> Functions { get; private set; } = [];

    /// <summary>The capabilities the worker answered WorkerInitRequest with (e.g. <c>HttpUri</c>).</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The id of the worker process (to check that it is gone after <see cref="DisposeAsync"/>).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp taken just before the worker process was started (0 before): where a cold
    /// start is measured from (bench/coldstart/functions.mjs).
    /// </summary>
    public long WorkerStartTimestamp => _process?.StartTimestamp ?? 0;

    /// <summary>Whether the worker process has exited.</summary>
    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>Every log line the worker has sent so far (a snapshot).</summary>
    public IReadOnlyList<WorkerLog> Logs => _channel.Logs;

    /// <summary>Every invocation that has finished so far (HTTP and timer), oldest first (a snapshot).</summary>
    public IReadOnlyList<FunctionInvocation> Invocations
    {
        get
        {
            lock (_invocations)
            {
                return [.. _invocations];
            }
        }
    }

    /// <summary>The last lines the worker process printed on stdout and stderr.</summary>
    public string WorkerOutput => _process?.OutputTail ?? string.Empty;

    /// <summary>
    /// Starts the published worker app in <paramref name="publishDirectory"/> under a new local host and returns once
    /// every function is loaded.
    /// </summary>
    /// <param name="publishDirectory">The app's publish folder (with worker.config.json).</param>
    /// <param name="appSettings">App settings for the worker's environment (override local.settings.json's Values).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<WorkerFunctionsHost> StartAsync(
        string publishDirectory,
        IReadOnlyDictionary<string, string>? appSettings = null,
        CancellationToken cancellationToken = default)
    {
        var app = WorkerAppFolder.Read(publishDirectory);
        int grpcPort = TestEnvironment.FreeLoopbackPort();
        int httpPort = TestEnvironment.FreeLoopbackPort();
        var channel = new WorkerChannel();
        var server = BuildServer(channel, grpcPort, httpPort);
        var host = new WorkerFunctionsHost(app, channel, server, httpPort);
        server.Use((context, next) => context.Connection.LocalPort == httpPort && host._frontDoor is { } frontDoor
            ? frontDoor.HandleAsync(context)
            : next(context));
        server.UseRouting();
        server.MapGrpcService<FunctionRpcService>();
        try
        {
            await server.StartAsync(cancellationToken);
            await host.ConnectAsync(grpcPort, appSettings ?? new Dictionary<string, string>(), cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Invokes a timer-triggered function over gRPC as its schedule would: the trigger binding gets the TimerInfo JSON
    /// (<c>{"Schedule":…,"ScheduleStatus":…,"IsPastDue":…}</c>). Returns the outcome, also when the function failed.
    /// </summary>
    /// <param name="functionName">The function's name.</param>
    /// <param name="isPastDue">The TimerInfo's IsPastDue.</param>
    /// <param name="cancellationToken">Stops waiting for the outcome.</param>
    public Task<FunctionInvocation> InvokeTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var function = Functions.FirstOrDefault(f => f.Name.Equals(functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No function '{functionName}' is loaded (loaded: {string.Join(", ", Functions.Select(f => f.Name))}).", nameof(functionName));
        if (!function.TriggerType.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{functionName}' has a {function.TriggerType}, not a timerTrigger.", nameof(functionName));
        }

        var now = DateTimeOffset.UtcNow;
        string timerInfo = JsonSerializer.Serialize(
            new TimerInfoJson(
                new TimerScheduleJson(AdjustForDST: true),
                new TimerScheduleStatusJson(Last: now.AddMinutes(-5), Next: now.AddMinutes(5), LastUpdated: now.AddMinutes(-5)),
                isPastDue),
            TimerJsonContext.Default.TimerInfoJson);
        string traceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00";
        return Invoke(
            function,
            Guid.NewGuid().ToString(),
            [new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Json = timerInfo } }],
            new Dictionary<string, TypedData>(StringComparer.Ordinal),
            traceParent,
            string.Empty).WaitAsync(cancellationToken);
    }

    /// <summary>Ends the worker (WorkerTerminate, then a kill after a grace period) and stops the host's servers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_process is { } process)
        {
            if (!process.HasExited && _channel.Started.IsCompletedSuccessfully && !_channel.Closed.IsCompleted)
            {
                try
                {
                    _channel.Send(new StreamingMessage
                    {
                        RequestId = Guid.NewGuid().ToString(),
                        WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TerminateGrace) },
                    });
                }
                catch (InvalidOperationException)
                {
                    // The stream closed meanwhile.
                }
            }

            _channel.Complete();
            await process.StopAsync(TerminateGrace);
            process.Dispose();
        }

        _channel.Complete();
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _server.StopAsync(stopping.Token);
        }

        await _server.DisposeAsync();
        _frontDoor?.Dispose();
    }

    /// <summary>Sends one InvocationRequest and completes with its outcome when the worker answers.</summary>
    internal async Task<FunctionInvocation> Invoke(
        WorkerFunction function,
        string invocationId,
        IEnumerable<ParameterBinding> inputs,
        IReadOnlyDictionary<string, TypedData> triggerMetadata,
        string traceParent,
        string traceState)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = traceParent, TraceState = traceState },
        };
        request.InputData.AddRange(inputs);
        foreach (var (name, value) in triggerMetadata)
        {
            request.TriggerMetadata[name] = value;
        }

        var answered = _channel.ExpectInvocation(invocationId);
        InvocationResponse response;
        try
        {
            _channel.Send(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request });
            response = await WaitForWorkerAsync(answered, $"The answer to invocation {invocationId} of {function.Name}", InvocationTimeout, CancellationToken.None);
        }
        finally
        {
            _channel.ForgetInvocation(invocationId);
        }

        var logs = _channel.Logs.Where(l => l.InvocationId == invocationId)
            .Concat(response.Result?.Logs.Select(WorkerChannel.ToLog) ?? [])
            .ToList();
        bool succeeded = response.Result?.Status == StatusResult.Types.Status.Success;
        var outcome = new FunctionInvocation(
            function.Name,
            invocationId,
            traceParent,
            traceState,
            succeeded,
            succeeded ? null : response.Result?.Exception?.Message ?? response.Result?.Result ?? "The worker gave no reason.",
            logs);
        lock (_invocations)
        {
            _invocations.Add(outcome);
        }

        return outcome;
    }

    private static WebApplication BuildServer(WorkerChannel channel, int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        return builder.Build();
    }

    /// <summary>Starts the worker and runs the handshake: StartStream, init, metadata, a load per function.</summary>
    private async Task ConnectAsync(int grpcPort, IReadOnlyDictionary<string, string> appSettings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = _app.Directory,
            ["FUNCTIONS_WORKER_DIRECTORY"] = _app.Directory,
            ["AzureWebJobsScriptRoot"] = _app.Directory,
        };
        foreach (var (name, value) in _app.LocalSettings.Concat(appSettings))
        {
            environment[name] = value;
        }

        string workerId = Guid.NewGuid().ToString();
        string requestId = Guid.NewGuid().ToString();
        _process = WorkerProcess.Start(_app.Directory, _app.WorkerPath, grpcPort, workerId, requestId, MaxMessageLength, environment);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);

        string connected = await WaitForWorkerAsync(_channel.Started, "The worker's StartStream", StartTimeout, deadline.Token);
        if (connected != workerId)
        {
            throw new InvalidOperationException($"The worker started its stream as '{connected}', not as the worker id '{workerId}' it was given.");
        }

        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = _app.Directory,
            FunctionAppDirectory = _app.Directory,
        };
        _channel.Send(new StreamingMessage { RequestId = requestId, WorkerInitRequest = init });
        var initialized = await WaitForWorkerAsync(_channel.Initialized, "The worker's WorkerInitResponse", StartTimeout, deadline.Token);
        EnsureSuccess(initialized.Result, "The worker failed to initialise");
        WorkerCapabilities = new Dictionary<string, string>(initialized.Capabilities, StringComparer.Ordinal);

        _channel.Send(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _app.Directory },
        });
        var indexed = await WaitForWorkerAsync(_channel.Indexed, "The worker's FunctionMetadataResponse", StartTimeout, deadline.Token);
        EnsureSuccess(indexed.Result, "The worker failed to index its functions");
        if (indexed.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked the host to index its functions (use_default_metadata_indexing); this host only supports worker indexing.");
        }

        var functions = new List<WorkerFunction>();
        var loads = new List<Task<FunctionLoadResponse>>();
        foreach (var metadata in indexed.FunctionMetadataResults)
        {
            if (metadata.FunctionId.Length == 0)
            {
                metadata.FunctionId = Guid.NewGuid().ToString();
            }

            functions.Add(Describe(metadata));
            loads.Add(_channel.ExpectLoad(metadata.FunctionId));
            _channel.Send(new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = metadata.FunctionId, Metadata = metadata },
            });
        }

        foreach (var (load, function) in loads.Zip(functions))
        {
            var loaded = await WaitForWorkerAsync(load, $"The worker's FunctionLoadResponse for {function.Name}", StartTimeout, deadline.Token);
            EnsureSuccess(loaded.Result, $"The worker failed to load {function.Name}");
        }

        Functions = functions;
        if (functions.Any(f => f.IsHttp))
        {
            if (!WorkerCapabilities.TryGetValue("HttpUri", out string? httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var workerHttp))
            {
                throw new InvalidOperationException(
                    "The app has HTTP functions but the worker advertised no HttpUri capability: this host serves HTTP only through the ASP.NET Core integration (ConfigureFunctionsWebApplication()).");
            }

            _frontDoor = new HttpFrontDoor(this, new HttpRouteTable(functions, _app.RoutePrefix), workerHttp);
        }
    }

    private static WorkerFunction Describe(RpcFunctionMetadata metadata)
    {
        foreach (string raw in metadata.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var binding = document.RootElement;
            string type = WorkerAppFolder.Property(binding, "type")?.GetString() ?? string.Empty;
            if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string name = WorkerAppFolder.Property(binding, "name")?.GetString() ?? string.Empty;
            bool http = type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);
            string? route = http ? WorkerAppFolder.Property(binding, "route")?.GetString() ?? metadata.Name : null;
            var methods = http && WorkerAppFolder.Property(binding, "methods") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
                : [];
            return new WorkerFunction(metadata.Name, metadata.FunctionId, type, name, route, methods);
        }

        var trigger = metadata.Bindings.FirstOrDefault(b => b.Value.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
        return new WorkerFunction(metadata.Name, metadata.FunctionId, trigger.Value?.Type ?? "unknown", trigger.Key ?? string.Empty, null, []);
    }

    private static void EnsureSuccess(StatusResult? result, string what)
    {
        if (result is not null && result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{what}: {result.Exception?.Message ?? result.Result}");
        }
    }

    /// <summary>Waits for a step of the worker, failing fast (with the worker's output) when the process exits first.</summary>
    private async Task<T> WaitForWorkerAsync<T>(Task<T> step, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = _process!;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expired = Task.Delay(timeout, waiting.Token);
        var first = await Task.WhenAny(step, process.Exited, expired);
        await waiting.CancelAsync();
        if (step.IsCompleted)
        {
            try
            {
                return await step;
            }
            catch (InvalidOperationException closed)
            {
                throw new InvalidOperationException($"{what} did not come: {closed.Message} {process.Describe()}", closed);
            }
        }

        if (first == process.Exited)
        {
            throw new InvalidOperationException($"{what} did not come. {process.Describe()}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"{what} did not come within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. {process.Describe()}");
    }
}
