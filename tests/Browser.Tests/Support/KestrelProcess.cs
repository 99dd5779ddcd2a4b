using System.Collections.Concurrent;
using System.Diagnostics;

namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// A published app run as `dotnet App.dll --urls=http://127.0.0.1:PORT` from its folder (Kestrel, as on a server), on a
/// free loopback port; ready once it answers <c>GET /</c>. Its output is kept for failure artifacts; disposing stops it.
/// </summary>
internal sealed class KestrelProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private KestrelProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<KestrelProcess> StartAsync(string app, IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{TestEnvironment.FreeLoopbackPort()}/");
        var info = ProcessRunner.CreateStartInfo(ProcessRunner.Dotnet, [app, "--urls=" + address.ToString().TrimEnd('/')], Path.GetDirectoryName(app)!);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"dotnet {app} did not start.");
        process.OutputDataReceived += (_, e) => Enqueue(output, e.Data);
        process.ErrorDataReceived += (_, e) => Enqueue(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new KestrelProcess(process, output, address);
        try
        {
            await started.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Enqueue(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before it answered.\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The app did not answer GET / within {timeout}.\n{Output}");
            }

            await Task.Delay(200);
        }
    }
}
