using System.Diagnostics;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// The published worker app started as the Functions host starts a dotnet-isolated worker: <c>dotnet App.dll</c> in the
/// app's folder with the host's gRPC address and ids on its command line, in both the old and the <c>--functions-*</c>
/// spellings. Keeps the tail of what it printed for error messages.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int TailLines = 60;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private bool _disposed;

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public int Id { get; private set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartTimestamp { get; private set; }

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The last lines the worker wrote to stdout and stderr.</summary>
    public string OutputTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public string Describe() => _process.HasExited
        ? $"The worker exited with code {_process.ExitCode}. Its last output:\n{OutputTail}"
        : $"The worker (pid {Id}) is still running. Its last output:\n{OutputTail}";

    public static WorkerProcess Start(
        string publishDirectory,
        string workerPath,
        int grpcPort,
        string workerId,
        string requestId,
        int maxMessageLength,
        IReadOnlyDictionary<string, string> environment)
    {
        string uri = $"http://127.0.0.1:{grpcPort}/";
        string max = maxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] arguments =
        [
            workerPath,
            "--host", "127.0.0.1",
            "--port", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId,
            "--requestId", requestId,
            "--grpcMaxMessageLength", max,
            "--functions-uri", uri,
            "--functions-worker-id", workerId,
            "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", max,
        ];
        var info = ProcessRunner.CreateStartInfo(ProcessRunner.Dotnet, arguments, publishDirectory);
        info.RedirectStandardInput = true;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Remember(e.Data);
        worker.StartTimestamp = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            throw new InvalidOperationException("The worker process did not start.");
        }

        worker.Id = process.Id;
        worker.Exited = process.WaitForExitAsync();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for the process to exit on its own, then kills it (and its children) if it has not; reaps it either way.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            await Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
        }

        await Exited;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Kill();
        _process.WaitForExit();
        _disposed = true;
        _process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
