using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// Runs invocations one at a time, as Lambda runs them in one execution environment: queues the event for the app's next
/// <c>GET /runtime/invocation/next</c>, then waits for its response or error, the app's exit, or a timeout. Starts the app
/// and starts it again after it exited or was stopped, as Lambda starts a new environment.
/// </summary>
internal sealed class FunctionInvoker : IDisposable
{
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Channel<Invocation> _queue = Channel.CreateUnbounded<Invocation>();
    private readonly object _lock = new();
    private string _runtimeApi = string.Empty;
    private AppProcess? _app;
    private Invocation? _current;
    private FunctionError? _unservedInitError;
    private bool _disposed;

    public FunctionInvoker(GatewayOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The running app's process id, or <see langword="null"/>.</summary>
    public int? AppProcessId
    {
        get
        {
            lock (_lock)
            {
                return _app is { Exited.IsCompleted: false } app ? app.Id : null;
            }
        }
    }

    /// <summary>Starts the app (when there is a command) once the Runtime API listens at <paramref name="runtimeApi"/>.</summary>
    public void Start(string runtimeApi)
    {
        _runtimeApi = runtimeApi;
        if (_options.Command is null)
        {
            GatewayLog.WaitingForApp(_logger, runtimeApi);
        }
        else
        {
            try
            {
                EnsureAppRunning();
            }
            catch (InvalidOperationException exception)
            {
                GatewayLog.AppStartFailed(_logger, exception.Message);
            }
        }
    }

    /// <summary>Invokes the function with an event and waits until the invocation ended.</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Gives up waiting for an earlier invocation to end; a queued invocation runs to its end.</param>
    public async Task<InvocationOutcome> InvokeAsync(byte[] @event, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AppProcess? app = null;
            if (_options.Command is not null)
            {
                try
                {
                    app = EnsureAppRunning();
                }
                catch (InvalidOperationException exception)
                {
                    return new InvocationOutcome(OutcomeKind.StartFailed, Detail: exception.Message);
                }
            }

            var invocation = new Invocation(Guid.NewGuid().ToString(), @event);
            lock (_lock)
            {
                if (_unservedInitError is { } initError)
                {
                    // An app started by hand reported an init error while no request waited: Lambda serves it to the next one.
                    _unservedInitError = null;
                    return new InvocationOutcome(OutcomeKind.InitError, Error: initError);
                }

                _current = invocation;
            }

            _queue.Writer.TryWrite(invocation);
            var outcome = await WaitAsync(invocation, app).ConfigureAwait(false);
            lock (_lock)
            {
                _current = null;
            }

            return outcome;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary><c>GET /runtime/invocation/next</c>: waits for the next invocation and hands it out.</summary>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _app?.MarkAskedForInvocation();
        }

        while (true)
        {
            var invocation = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (invocation.TryTake(_time.GetUtcNow() + _options.Timeout))
            {
                return invocation;
            }

            // It ended before anybody took it (nobody asked in time, or the app that should have taken it exited).
        }
    }

    /// <summary>The invocation the app may answer now, or <see langword="null"/> when <paramref name="requestId"/> is not it.</summary>
    public Invocation? Answerable(string requestId)
    {
        lock (_lock)
        {
            return _current is { IsTaken: true } current && current.RequestId == requestId && !current.Outcome.IsCompleted ? current : null;
        }
    }

    /// <summary>
    /// <c>POST /runtime/init/error</c>: the app failed to start. The invocation waiting for it ends with the error; without
    /// one, an app started by hand has its error served to the next request.
    /// </summary>
    public void InitFailed(FunctionError error)
    {
        GatewayLog.AppInitFailed(_logger, error.ErrorType, error.ErrorMessage);
        var outcome = new InvocationOutcome(OutcomeKind.InitError, Error: error);
        lock (_lock)
        {
            if (_app is not null)
            {
                // The next request starts the app again (and sees its init error again if it still fails).
                _app.InitError = error;
            }

            if (_current?.TryEnd(outcome) != true && _options.Command is null)
            {
                _unservedInitError = error;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _app?.Dispose();
            _app = null;
        }

        _queue.Writer.TryComplete();
    }

    private async Task<InvocationOutcome> WaitAsync(Invocation invocation, AppProcess? app)
    {
        using var stopWaiting = new CancellationTokenSource();
        try
        {
            var exited = app?.Exited ?? Task.Delay(Timeout.Infinite, stopWaiting.Token);

            // Until the app takes it: an app that exits (or is stopped for not starting in time) ends it; without an app
            // of ours, nobody asking within the init timeout ends it.
            var notPickedUp = app is null ? Task.Delay(_options.InitTimeout, _time, stopWaiting.Token) : Task.Delay(Timeout.Infinite, stopWaiting.Token);
            var first = await Task.WhenAny(invocation.Taken, invocation.Outcome, exited, notPickedUp).ConfigureAwait(false);
            if (first == exited)
            {
                invocation.TryEnd(app!.ExitOutcome());
            }
            else if (first == notPickedUp)
            {
                invocation.TryEnd(InvocationOutcome.NotPickedUp);
            }

            if (!invocation.Outcome.IsCompleted)
            {
                var timeout = Task.Delay(invocation.Deadline - _time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero, _time, stopWaiting.Token);
                var second = await Task.WhenAny(invocation.Outcome, exited, timeout).ConfigureAwait(false);
                if (second == exited)
                {
                    invocation.TryEnd(app!.ExitOutcome());
                }
                else if (second == timeout && invocation.TryEnd(InvocationOutcome.TimedOut))
                {
                    // Lambda ends an environment whose invocation timed out; the next request starts the app again.
                    GatewayLog.InvocationTimedOut(_logger, invocation.RequestId, _options.Timeout.TotalSeconds);
                    app?.Stop();
                }
            }

            return await invocation.Outcome.ConfigureAwait(false);
        }
        finally
        {
            await stopWaiting.CancelAsync().ConfigureAwait(false);
        }
    }

    private AppProcess EnsureAppRunning()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_app is { } running && !running.Exited.IsCompleted && running.InitError is null)
            {
                return running;
            }

            _app?.Dispose();
            _app = null;
            var output = _options.AppOutput ?? WriteToConsole;
            var app = AppProcess.Start(_options, _runtimeApi, output);
            _app = app;
            GatewayLog.AppStarted(_logger, app.Id, string.Join(' ', [_options.Command!, .. _options.Arguments]));
            _ = WatchAsync(app);
            return app;
        }
    }

    // Reports the app's exit, and stops an app that does not ask for an invocation within the init timeout.
    private async Task WatchAsync(AppProcess app)
    {
        using var stopWaiting = new CancellationTokenSource();
        var initTimeout = Task.Delay(_options.InitTimeout, _time, stopWaiting.Token);
        var first = await Task.WhenAny(app.AskedForInvocation, app.Exited, initTimeout).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        if (first == initTimeout)
        {
            GatewayLog.AppDidNotAsk(_logger, app.Id, _options.InitTimeout.TotalSeconds);
            app.Stop(forInitTimeout: true);
        }

        int exitCode = await app.Exited.ConfigureAwait(false);
        bool disposed;
        lock (_lock)
        {
            disposed = _disposed;
        }

        if (!disposed)
        {
            GatewayLog.AppExited(_logger, app.Id, exitCode);
        }
    }

    private static void WriteToConsole(string line, bool isError) => (isError ? Console.Error : Console.Out).WriteLine(line);
}
