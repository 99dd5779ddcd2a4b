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
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenRegistration _started;
    private Task? _loop;

    public LambdaServer(
        RuntimeApiClient client,
        InitErrorReporter initErrors,
        LambdaHostingOptions options,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        _client = client;
        _initErrors = initErrors;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger("SessionsServerless.Lambda");
        _processor = new InvocationProcessor(client, options, timeProvider, _logger);

        // Lambda decides where requests come from; addresses an app adds are accepted and ignored.
        Features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        // Invocations are taken only once the whole host has started, so a startup failure is an init error.
        _started = _lifetime.ApplicationStarted.Register(() =>
        {
            _initErrors.LoopStarted();
            _loop = Task.Run(() => RunAsync(application, _stopping.Token));
        });
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

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        try
        {
            await PollAsync(application, stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && stopping.IsCancellationRequested))
        {
            // A fault nobody foresaw. AWS's .NET runtime lets it end the process; a loop that just stopped would leave a live
            // process that never asks for work again, and every invocation would time out. Exit non-zero, so Lambda reports
            // Runtime.ExitError and starts a new execution environment.
            LambdaLog.LoopFailed(_logger, exception);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
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
