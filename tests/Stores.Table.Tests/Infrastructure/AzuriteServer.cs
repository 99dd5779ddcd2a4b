using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Azure.Data.Tables;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>
/// Azurite's Table service (<c>node_modules/.bin/azurite-table</c>, pinned by the committed lockfile) on a free loopback
/// port, started for the tests and stopped with them. In memory by default; <see cref="Persistent"/> keeps its data in a
/// folder so that it survives a restart.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's development account key: published in Azurite's documentation, not a secret.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "sessions-azurite-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly bool _inMemory;
    private Process? _process;

    /// <summary>An in-memory server (what xunit creates for <c>IClassFixture&lt;AzuriteServer&gt;</c>).</summary>
    public AzuriteServer()
        : this(inMemory: true)
    {
    }

    private AzuriteServer(bool inMemory)
    {
        _inMemory = inMemory;
    }

    /// <summary>The port it listens on; it keeps it across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string for the development account on this server.</summary>
    public string ConnectionString => ConnectionStringWithKey(AccountKey);

    /// <summary>A server whose data lives in a folder and survives <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public static AzuriteServer Persistent() => new(inMemory: false);

    /// <summary>A connection string for this server with another account key, to see how a refused request fails.</summary>
    public string ConnectionStringWithKey(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};TableEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    /// <summary>A client for a table (not created) on this server.</summary>
    public TableClient TableClient(string tableName, TableClientOptions? options = null) =>
        new(ConnectionString, tableName, options ?? new TableClientOptions());

    /// <summary>Creates a table with a fresh name, so tests sharing this server never see each other's sessions.</summary>
    public async Task<TableClient> CreateTableAsync(TableClientOptions? options = null)
    {
        var table = TableClient(NewTableName(), options);
        await table.CreateAsync();
        return table;
    }

    /// <summary>A table name no other test uses (letters and digits, starting with a letter).</summary>
    public static string NewTableName() => "t" + Guid.NewGuid().ToString("N")[..20];

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
            throw new InvalidOperationException("Azurite is already running.");
        }

        if (Port != 0)
        {
            _process = await LaunchAsync(Port);
            return;
        }

        // Another process may take the free port between the probe and Azurite's bind: try a few.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreeLoopbackPort();
            try
            {
                _process = await LaunchAsync(port);
                Port = port;
                return;
            }
            catch (AzuriteStartException failed) when (attempt < 3 && failed.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>
    /// Stops the server as Ctrl+C does (SIGINT, the signal Azurite handles: a folder-backed one saves its data first),
    /// killing it if it lingers; requests then fail as when a storage account becomes unreachable.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited && SendSigint(process.Id) == 0)
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

    private static int SendSigint(int pid) => SendSignal(pid, 2);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<Process> LaunchAsync(int port)
    {
        string command = Path.Combine(RepositoryPaths.NodeModules, ".bin", "azurite-table");
        if (!File.Exists(command))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({command} is missing). Run `npm ci` in the repository root (bash eng/test.sh does it).");
        }

        var info = new ProcessStartInfo(command)
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

            if (line.Data.Contains("successfully started", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Exited += (_, _) =>
        {
            // Let the output readers finish, so the failure shows what Azurite said.
            process.WaitForExit();
            started.TrySetException(new AzuriteStartException(Describe("exited before it was ready", output)));
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
                ? new AzuriteStartException(Describe($"did not start within {StartTimeout.TotalSeconds} s", output))
                : failure;
        }
    }

    private IEnumerable<string> Arguments(int port)
    {
        yield return "--tableHost";
        yield return "127.0.0.1";
        yield return "--tablePort";
        yield return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--disableTelemetry";
        yield return "--silent";

        // Azurite refuses --location together with --inMemoryPersistence.
        if (_inMemory)
        {
            yield return "--inMemoryPersistence";
        }
        else
        {
            yield return "--location";
            yield return _workspace;
        }
    }

    private static string Describe(string what, StringBuilder output)
    {
        lock (output)
        {
            return $"azurite-table {what}. Its output:\n{output}";
        }
    }

    private sealed class AzuriteStartException(string message) : Exception(message);
}
