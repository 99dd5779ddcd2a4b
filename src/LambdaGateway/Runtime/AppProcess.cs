using System.Diagnostics;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// The app, started as Lambda starts a function: its command with <c>AWS_LAMBDA_RUNTIME_API</c> pointing at the gateway's
/// Runtime API. Its output goes to the gateway's console, line by line.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    /// <summary>The variable that tells the app where the Runtime API is.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    private readonly Process _process;
    private readonly TaskCompletionSource _askedForInvocation = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process)
    {
        _process = process;
        Exited = WaitForExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process ended.</summary>
    public Task<int> Exited { get; }

    /// <summary>Completes when the app first asked for an invocation: it started.</summary>
    public Task AskedForInvocation => _askedForInvocation.Task;

    /// <summary>What the app reported to <c>/runtime/init/error</c>, if it did.</summary>
    public FunctionError? InitError { get; set; }

    /// <summary>The gateway stopped the app because it did not ask for an invocation within the init timeout.</summary>
    public bool StoppedForInitTimeout { get; private set; }

    /// <summary>Starts the app.</summary>
    /// <exception cref="InvalidOperationException">The command cannot be started; the message says why.</exception>
    public static AppProcess Start(GatewayOptions options, string runtimeApi, Action<string, bool> output)
    {
        var info = new ProcessStartInfo(options.Command!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in options.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment[RuntimeApiVariable] = runtimeApi;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"'{options.Command}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"The app's command failed: {exception.Message} Check the command after --.", exception);
        }

        process.OutputDataReceived += (_, e) => Forward(output, e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(output, e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(process);
    }

    public void MarkAskedForInvocation() => _askedForInvocation.TrySetResult();

    /// <summary>Ends the app (and what it started, such as the app under <c>dotnet run</c>).</summary>
    public void Stop(bool forInitTimeout = false)
    {
        StoppedForInitTimeout |= forInitTimeout;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>How an invocation the app did not answer ended, now that the app exited.</summary>
    public InvocationOutcome ExitOutcome() =>
        InitError is { } initError ? new InvocationOutcome(OutcomeKind.InitError, Error: initError)
        : StoppedForInitTimeout ? InvocationOutcome.NotPickedUp
        : new InvocationOutcome(OutcomeKind.AppExited, ExitCode: Exited.IsCompleted ? Exited.Result : null);

    public void Dispose()
    {
        Stop();

        // Reaped here, so the app is gone when the gateway is, not left behind as a zombie of an exited parent.
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private static void Forward(Action<string, bool> output, string? line, bool isError)
    {
        if (line is not null)
        {
            output(line, isError);
        }
    }

    // The Exited event, not WaitForExitAsync: that also waits for the end of the output, which a process the app left behind
    // (such as a build server started by `dotnet run`) can hold open.
    private Task<int> WaitForExitAsync()
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => exited.TrySetResult(_process.ExitCode);
        if (_process.HasExited)
        {
            exited.TrySetResult(_process.ExitCode);
        }

        return exited.Task;
    }
}
