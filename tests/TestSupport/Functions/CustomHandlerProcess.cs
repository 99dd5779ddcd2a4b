using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.TestSupport;

/// <summary>
/// A published app started the way the Functions host starts a custom handler: the command, arguments and working
/// directory of host.json's customHandler.description (a relative executable that exists in the folder is run from
/// there, otherwise it is a command on the PATH), the app settings as environment variables, FUNCTIONS_CUSTOMHANDLER_PORT
/// and friends set, then GET / polled until the app answers.
/// </summary>
public sealed class CustomHandlerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private CustomHandlerProcess(Process process, StringBuilder output, FunctionsHost host, long startTimestamp)
    {
        _process = process;
        _output = output;
        Host = host;
        StartTimestamp = startTimestamp;
    }

    /// <summary>The app's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp taken just before the process was started: where a cold start is measured
    /// from (bench/coldstart/functions.mjs).
    /// </summary>
    public long StartTimestamp { get; }

    /// <summary>The host in front of this process.</summary>
    public FunctionsHost Host { get; }

    /// <summary>What the app printed so far (the host forwards it to its logs).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<CustomHandlerProcess> StartAsync(string appFolder, IReadOnlyDictionary<string, string> appSettings)
    {
        var description = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(appFolder, "host.json")))!["customHandler"]!["description"]!;
        string workingDirectory = description["workingDirectory"]?.GetValue<string>() is { Length: > 0 } relative
            ? Path.Combine(appFolder, relative)
            : appFolder;
        string executable = description["defaultExecutablePath"]!.GetValue<string>();
        if (!Path.IsPathRooted(executable) && File.Exists(Path.Combine(workingDirectory, executable)))
        {
            executable = Path.Combine(workingDirectory, executable);
        }
        else if (executable == "dotnet")
        {
            executable = ProcessRunner.Dotnet;
        }

        var arguments = description["arguments"]?.AsArray().Select(a => a!.GetValue<string>()) ?? [];
        int port = FunctionsHost.FindFreePort();
        var info = ProcessRunner.CreateStartInfo(executable, arguments, workingDirectory);
        foreach (var (name, value) in appSettings)
        {
            info.Environment[name] = value;
        }

        string workerId = Guid.NewGuid().ToString();
        info.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["FUNCTIONS_HTTPWORKER_PORT"] = info.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"];
        info.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId;
        info.Environment["FUNCTIONS_HTTPWORKER_ID"] = workerId;
        info.Environment["FUNCTIONS_APP_ROOT_PATH"] = appFolder;

        var routes = FunctionsRouteTable.Read(appFolder);
        var output = new StringBuilder();
        long started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var handler = new CustomHandlerProcess(process, output, new FunctionsHost(port, routes), started);
        try
        {
            // The host gives a custom handler 60 seconds to start listening.
            await handler.Host.WaitUntilReadyAsync(
                () => process.HasExited ? $"The custom handler exited with code {process.ExitCode} before it listened:\n{handler.Output}" : null,
                TimeSpan.FromSeconds(60));
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }

        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Host.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
