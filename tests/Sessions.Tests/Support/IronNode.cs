using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionsServerless.Tests.Support;

/// <summary>iron-webcrypto running in Node.js, driven one request per line.</summary>
public sealed class IronNode : IDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IronNode()
    {
        _process = Process.Start(NodeScript.StartInfo("iron.mjs")) ?? throw new InvalidOperationException("node did not start.");
    }

    /// <summary>Seals a JSON value (a string is sealed as its JSON string literal, as iron does).</summary>
    public async Task<string> SealAsync(JsonNode? value, string password, long ttlMilliseconds = 0)
    {
        var response = await SendAsync(new JsonObject { ["op"] = "seal", ["value"] = value?.DeepClone(), ["password"] = password, ["ttl"] = ttlMilliseconds });
        return response["ok"]!.GetValue<bool>() ? response["result"]!.GetValue<string>() : throw new InvalidOperationException(response["error"]!.GetValue<string>());
    }

    /// <summary>Unseals a token; returns the value, or the error message iron gave.</summary>
    public async Task<(bool Ok, JsonNode? Result, string? Error)> UnsealAsync(string token, string password)
    {
        var response = await SendAsync(new JsonObject { ["op"] = "unseal", ["sealed"] = token, ["password"] = password });
        return response["ok"]!.GetValue<bool>()
            ? (true, response["result"], null)
            : (false, null, response["error"]!.GetValue<string>());
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
            _gate.Dispose();
        }
    }

    private async Task<JsonObject> SendAsync(JsonObject request)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(request.ToJsonString());
            await _process.StandardInput.FlushAsync();
            string? line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null)
            {
                throw new InvalidOperationException("iron-webcrypto exited: " + await _process.StandardError.ReadToEndAsync());
            }

            return JsonNode.Parse(line)!.AsObject();
        }
        finally
        {
            _gate.Release();
        }
    }
}
