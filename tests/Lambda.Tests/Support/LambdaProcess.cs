using System.Diagnostics;
using System.Text;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>
/// A function process started as Lambda starts one: with <c>AWS_LAMBDA_RUNTIME_API</c> pointing at a Runtime API, in
/// the Production environment, with its output kept for failure messages.
/// </summary>
internal sealed class LambdaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LambdaProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
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

    /// <summary>Starts <paramref name="command"/> in <paramref name="workingDirectory"/>.</summary>
    public static LambdaProcess Start(string command, IEnumerable<string> arguments, string workingDirectory, string runtimeApi, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("Sessions__EncryptionKey");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new LambdaProcess(Process.Start(info) ?? throw new InvalidOperationException($"{command} did not start."));
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
