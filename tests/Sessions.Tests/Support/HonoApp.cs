using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SessionsServerless.Tests.Support;

/// <summary>A real Hono app with hono-sessions 0.8.1 (CookieStore) running in Node.js on a loopback port.</summary>
internal sealed class HonoApp : IAsyncDisposable
{
    private readonly Process _process;

    private HonoApp(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<HonoApp> StartAsync(string encryptionKey)
    {
        RepositoryPaths.NodePackage("hono-sessions");
        var process = Process.Start(NodeScript.StartInfo("hono-app.mjs", encryptionKey)) ?? throw new InvalidOperationException("node did not start.");
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null)
        {
            throw new InvalidOperationException("The Hono app did not start: " + await process.StandardError.ReadToEndAsync());
        }

        int port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
        return new HonoApp(process, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!await WaitAsync(TimeSpan.FromSeconds(5)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<bool> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
