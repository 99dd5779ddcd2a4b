using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>
/// dynalite, the npm package pinned in the repository's package-lock.json, running on a free loopback port for one test
/// class. A missing Node.js or dynalite fails the tests that use it.
/// </summary>
public class DynaliteServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private readonly string? _dataDirectory;
    private readonly int _createTableMilliseconds;
    private Process? _process;

    /// <summary>An in-memory dynalite whose tables are active as soon as they are created.</summary>
    public DynaliteServer()
        : this(persistent: false, createTableMilliseconds: 0)
    {
    }

    /// <param name="persistent">Whether dynalite keeps its data in a directory (--path), so it survives a restart.</param>
    /// <param name="createTableMilliseconds">How long a new table stays CREATING, as on DynamoDB.</param>
    protected DynaliteServer(bool persistent, int createTableMilliseconds)
    {
        _createTableMilliseconds = createTableMilliseconds;
        if (persistent)
        {
            _dataDirectory = Directory.CreateTempSubdirectory("dynalite-").FullName;
        }
    }

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Port = FreeLoopbackPort();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>A client for this server, with fixed test credentials, optionally counting its HTTP requests.</summary>
    public AmazonDynamoDBClient CreateClient(RequestCounter? counter = null) => TestDynamoDbClients.Create(ServiceUrl, counter);

    /// <summary>Creates a session table with a fresh name and returns the name.</summary>
    public async Task<string> CreateTableAsync()
    {
        string tableName = "sessions-" + Guid.NewGuid().ToString("N");
        using var client = CreateClient();
        await DynamoDbSessionTable.CreateAsync(client, tableName);
        return tableName;
    }

    /// <summary>Starts dynalite on <see cref="Port"/> (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        string root = RepositoryRoot.Find();
        string cli = Path.Combine(root, "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"dynalite is not installed ({cli} is missing). Run `npm ci` in {root}, or `bash eng/test.sh`, which does.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (string argument in new[] { cli, "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", _createTableMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--deleteTableMs", "0", "--updateTableMs", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        if (_dataDirectory is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(_dataDirectory);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) =>
            {
                Append(e.Data);
                if (e.Data?.Contains("Dynalite listening", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"dynalite exited before listening on port {Port}:\n{Output}"));
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("Node.js (`node`) is not on PATH; dynalite needs Node.js 20 or later.", exception);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException exception)
        {
            throw new InvalidOperationException($"dynalite did not listen on port {Port} within {StartTimeout.TotalSeconds} s:\n{Output}", exception);
        }
    }

    /// <summary>Kills dynalite, as a crash or an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A loopback port nothing listens on (at the time of the call).</summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A dynalite that keeps its data in a directory, so a restart on the same port finds it again.</summary>
public sealed class PersistentDynaliteServer : DynaliteServer
{
    public PersistentDynaliteServer()
        : base(persistent: true, createTableMilliseconds: 0)
    {
    }
}

/// <summary>A dynalite whose new tables stay CREATING for half a second, as DynamoDB's stay for seconds.</summary>
public sealed class SlowTableDynaliteServer : DynaliteServer
{
    public SlowTableDynaliteServer()
        : base(persistent: false, createTableMilliseconds: 500)
    {
    }
}
