namespace SessionsServerless.Lambda;

/// <summary>
/// Reports a failure that ends the process before the invocation loop starts (a configuration error found at startup, an
/// exception while building the app) to <c>POST /runtime/init/error</c>, so Lambda shows the cause instead of a bare exit.
/// It watches for the whole life of the process: a host that fails to start is disposed before its exception surfaces.
/// </summary>
internal sealed class InitErrorReporter
{
    private readonly Uri _endpoint;
    private int _state; // 0 watching, 1 loop started, 2 reported

    public InitErrorReporter(Uri endpoint) => _endpoint = endpoint;

    /// <summary>Starts watching for an exception nobody handles.</summary>
    public void Watch() => AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;

    /// <summary>The loop runs: later failures belong to invocations, not to initialization.</summary>
    public void LoopStarted() => Interlocked.CompareExchange(ref _state, 1, 0);

    /// <summary>Reports <paramref name="exception"/> unless the loop already started or a report was sent.</summary>
    /// <returns>Whether a report was sent.</returns>
    public bool Report(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) != 0)
        {
            return false;
        }

        try
        {
            using var client = new RuntimeApiClient(_endpoint);
            client.PostInitError(LambdaError.FromException(exception));
            return true;
        }
        catch (Exception reportFailure) when (reportFailure is HttpRequestException or RuntimeApiException or OperationCanceledException)
        {
            // The process is ending anyway; Lambda then reports Runtime.ExitError with the log.
            Console.Error.WriteLine("Could not report the initialization error to the Lambda Runtime API: " + reportFailure.Message);
            return false;
        }
    }

    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is Exception exception)
        {
            Report(exception);
        }
    }
}
