using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>
/// The server that replaces Kestrel on Lambda: once the app has started, it asks the Runtime API for invocations one at a
/// time and serves each through the app's pipeline.
/// </summary>
internal sealed class LambdaServer : IServer
{
    private readonly RuntimeApiClient _client;
    private readonly InitErrorReporter _initErrors;
    private readonly InvocationProcessor _processor;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly LambdaHostingOptions _options;
    private readonly IServiceProvider _services;
    private readonly int _concurrency;
    private readonly bool _snapStart;
    private readonly bool _setsExitCode;
    private readonly int? _memorySizeMb;
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenRegistration _started;
    private Task? _loop;

    public LambdaServer(
        RuntimeApiClient client,
        InitErrorReporter initErrors,
        LambdaHostingOptions options,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory,
        IServiceProvider services,
        LambdaEnvironment environment)
    {
        _client = client;
        _initErrors = initErrors;
        _lifetime = lifetime;
        _options = options;
        _services = services;
        _concurrency = environment.MaxConcurrency;
        _snapStart = environment.SnapStart;
        _setsExitCode = environment.SetsExitCode;
        _memorySizeMb = environment.MemorySizeMb;
        _logger = loggerFactory.CreateLogger("SessionsServerless.Lambda");

        // The trace id variable belongs to the whole process: set only when one invocation runs at a time. Each invocation
        // carries its own in its LambdaInvocation feature either way.
        _processor = new InvocationProcessor(client, options, timeProvider, _logger, setTraceIdVariable: _concurrency == 1);

        // Lambda decides where requests come from; addresses an app adds are accepted and ignored.
        Features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        AdjustHeapLimit();

        // Invocations are taken only once the whole host has started, so a startup failure is an init error.
        _started = _lifetime.ApplicationStarted.Register(() => _loop = Task.Run(() => RunAsync(application, _stopping.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _started.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Gives the GC the function's memory as its heap hard limit (see <see cref="GCHeapLimit"/>), once, at startup.</summary>
    private void AdjustHeapLimit()
    {
        try
        {
            var outcome = GCHeapLimit.ApplyToProcess(_memorySizeMb, _options.HeapHardLimitFromMemorySize, out string? appSetting);
            long totalAvailable = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            switch (outcome)
            {
                case GCHeapLimitOutcome.Set:
                    LambdaLog.HeapLimitSet(_logger, _memorySizeMb!.Value * 1024L * 1024L, _memorySizeMb.Value, totalAvailable);
                    break;
                case GCHeapLimitOutcome.AppSetting:
                    LambdaLog.HeapLimitLeftToApp(_logger, appSetting!, totalAvailable);
                    break;
                default:
                    LambdaLog.HeapLimitNotSet(_logger, outcome, totalAvailable);
                    break;
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or PlatformNotSupportedException or ArgumentException)
        {
            // GC.RefreshMemoryLimit refuses a limit below what the heap already holds; the function still runs.
            LambdaLog.HeapLimitFailed(_logger, exception);
        }
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        try
        {
            if (_snapStart && !await SnapshotAndRestoreAsync(application, stopping).ConfigureAwait(false))
            {
                return;
            }

            _initErrors.LoopStarted();

            // Lambda Managed Instances hand out up to AWS_LAMBDA_MAX_CONCURRENCY invocations at once: keep that many polls open.
            var polls = new Task[_concurrency];
            for (int i = 0; i < polls.Length; i++)
            {
                polls[i] = Task.Run(() => PollAsync(application, stopping), CancellationToken.None);
            }

            await Task.WhenAll(polls).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The app is stopping.
        }
        catch (Exception exception)
        {
            // A fault nobody foresaw. AWS's .NET runtime lets it end the process; a loop that just stopped would leave a live
            // process that never asks for work again, and every invocation would time out. Exit non-zero, so Lambda reports
            // Runtime.ExitError and starts a new execution environment.
            LambdaLog.LoopFailed(_logger, exception);
            Exit();
        }
    }

    /// <summary>
    /// The SnapStart restore flow of the Runtime API: warm-up requests and before-snapshot hooks, then
    /// <c>GET /runtime/restore/next</c> (Lambda takes the snapshot; the call returns in each restored copy), then the session
    /// code forgets its cached randomness and the after-restore hooks run; their failure goes to <c>/runtime/restore/error</c>.
    /// </summary>
    /// <returns>Whether invocations can be served.</returns>
    private async Task<bool> SnapshotAndRestoreAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        try
        {
            foreach (string path in _options.SnapshotWarmupPaths)
            {
                await _processor.WarmUpAsync(application, path).ConfigureAwait(false);
            }

            foreach (var hook in _options.BeforeSnapshot)
            {
                await hook(_services, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && stopping.IsCancellationRequested))
        {
            LambdaLog.SnapshotFailed(_logger, exception);
            _initErrors.Report(exception);
            Exit();
            return false;
        }

        try
        {
            await _client.RestoreNextAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or RuntimeApiException or IOException)
        {
            LambdaLog.RuntimeApiFailed(_logger, exception);
            Exit();
            return false;
        }

        // Every copy restored from the snapshot would otherwise seal with the same salts and draw IVs from the same buffer.
        CachedRandomness.Forget();
        try
        {
            foreach (var hook in _options.AfterRestore)
            {
                await hook(_services, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && stopping.IsCancellationRequested))
        {
            LambdaLog.RestoreFailed(_logger, exception);
            var error = LambdaError.FromException(exception) with { ErrorType = "Runtime.AfterRestoreError" };
            try
            {
                await _client.PostRestoreErrorAsync(error, stopping).ConfigureAwait(false);
            }
            catch (Exception reportFailure) when (reportFailure is HttpRequestException or RuntimeApiException or IOException)
            {
                LambdaLog.RuntimeApiFailed(_logger, reportFailure);
            }

            Exit();
            return false;
        }

        return true;
    }

    private void Exit()
    {
        if (_setsExitCode)
        {
            Environment.ExitCode = 1;
        }

        _lifetime.StopApplication();
    }

    private async Task PollAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        LambdaLog.LoopStarted(_logger, Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") ?? "(set in code)");
        while (!stopping.IsCancellationRequested)
        {
            RuntimeApiInvocation invocation;
            try
            {
                invocation = await _client.GetNextAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or RuntimeApiException or IOException)
            {
                // The Runtime API says a runtime that cannot get its next invocation should exit.
                LambdaLog.RuntimeApiFailed(_logger, exception);
                _lifetime.StopApplication();
                return;
            }

            try
            {
                await _processor.ProcessAsync(application, invocation, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RuntimeApiException exception) when (exception.IsContainerError)
            {
                LambdaLog.RuntimeApiFailed(_logger, exception);
                _lifetime.StopApplication();
                return;
            }
            catch (Exception exception)
            {
                // A failure of the host itself for this one invocation: report it, and serve the next.
                LambdaLog.InvocationFailed(_logger, invocation.RequestId, exception);
                await TryReportAsync(invocation.RequestId, exception, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task TryReportAsync(string requestId, Exception exception, CancellationToken stopping)
    {
        try
        {
            var error = new LambdaError("Runtime.HostFailure", $"The Lambda host failed to serve the invocation ({exception.GetType().Name}).", []);
            await _client.PostErrorAsync(requestId, error, stopping).ConfigureAwait(false);
        }
        catch (Exception reportFailure) when (reportFailure is HttpRequestException or RuntimeApiException or IOException or OperationCanceledException)
        {
            LambdaLog.InvocationFailed(_logger, requestId, reportFailure);
        }
    }
}
