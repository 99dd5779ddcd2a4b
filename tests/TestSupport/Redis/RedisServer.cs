using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SessionsServerless.TestSupport;

/// <summary>
/// A real Redis (Debian's <c>redis-server</c>, installed by eng/install-prerequisites.sh) on a free loopback port, started
/// for the tests and stopped with them. In memory by default (<c>--save '' --appendonly no</c>); <see cref="Persistent"/>
/// saves its data to a folder when stopped, so that it survives <see cref="StopAsync"/> and <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "sessions-redis-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly bool _persistent;
    private Process? _process;

    /// <summary>An in-memory server (what xunit creates for <c>IClassFixture&lt;RedisServer&gt;</c>).</summary>
    public RedisServer()
        : this(persistent: false)
    {
    }

    private RedisServer(bool persistent)
    {
        _persistent = persistent;
    }

    /// <summary>The port it listens on; it keeps it across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis configuration string for this server, with short timeouts for tests.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>A server that saves its data when stopped and loads it when started again.</summary>
    public static RedisServer Persistent() => new(persistent: true);

    /// <summary>A key prefix no other test uses, so tests sharing this server never see each other's sessions.</summary>
    public static string NewKeyPrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workspace);
        await StartAsync();
    }

    /// <summary>Starts the server: on a free port the first time, on the same port after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        if (Port != 0)
        {
            _process = await LaunchAsync(Port);
            return;
        }

        // Another process may take the free port between the probe and the bind: try a few.
        for (int attempt = 1; ; attempt++)
        {
            int port = TestEnvironment.FreeLoopbackPort();
            try
            {
                _process = await LaunchAsync(port);
                Port = port;
                return;
            }
            catch (RedisStartException failed) when (attempt < 3 && failed.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    /// <summary>
    /// Stops the server (SIGTERM: a persistent one saves first), killing it if it lingers; requests then fail as when a
    /// managed Redis becomes unreachable.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited && SendSignal(process.Id, 15) == 0)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_workspace))
        {
            Directory.Delete(_workspace, recursive: true);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static string FindServer()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            string candidate = Path.Combine(directory, "redis-server");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed. Install Debian's redis-server package (bash eng/install-prerequisites.sh does it).");
    }

    private async Task<Process> LaunchAsync(int port)
    {
        var info = new ProcessStartInfo(FindServer())
        {
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments(port))
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        DataReceivedEventHandler collect = (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Exited += (_, _) =>
        {
            process.WaitForExit();
            started.TrySetException(new RedisStartException(Describe("exited before it was ready", output)));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await started.Task.WaitAsync(StartTimeout);
            return process;
        }
        catch (Exception failure)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            throw failure is TimeoutException
                ? new RedisStartException(Describe($"did not start within {StartTimeout.TotalSeconds} s", output))
                : failure;
        }
    }

    private IEnumerable<string> Arguments(int port)
    {
        yield return "--port";
        yield return port.ToString(CultureInfo.InvariantCulture);
        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--appendonly";
        yield return "no";
        yield return "--dir";
        yield return _workspace;
        yield return "--save";
        yield return _persistent ? "3600 1" : string.Empty;
        yield return "--daemonize";
        yield return "no";
    }

    private static string Describe(string what, StringBuilder output)
    {
        lock (output)
        {
            return $"redis-server {what}. Its output:\n{output}";
        }
    }

    private sealed class RedisStartException(string message) : Exception(message);
}
