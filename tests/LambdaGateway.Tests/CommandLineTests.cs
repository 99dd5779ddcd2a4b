using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SessionsServerless.LambdaGateway.Tests.Support;
using SessionsServerless.TestSupport;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary><c>sessions-lambda-gateway</c> as a developer runs it: its options, its errors, and a run that Ctrl+C/SIGTERM ends.</summary>
public sealed partial class CommandLineTests
{
    private static readonly string GatewayDll = Path.Combine(AppContext.BaseDirectory, "SessionsServerless.LambdaGateway.dll");

    [Fact]
    public void The_defaults_are_port_3000_HTTP_API_events_and_no_command()
    {
        Assert.True(GatewayCommandLine.TryParse([], out var options, out string? error), error);

        Assert.Equal(3000, options!.Port);
        Assert.Equal(0, options.RuntimeApiPort);
        Assert.Equal(EventFormat.HttpApi, options.EventFormat);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(120), options.InitTimeout);
        Assert.Null(options.Command);
    }

    [Fact]
    public void Everything_after_the_double_dash_is_the_app_command_with_its_own_options()
    {
        string[] args = ["--port", "0", "--event", "v1", "--timeout", "2.5", "--init-timeout", "10", "--runtime-api-port", "9001", "--", "dotnet", "app.dll", "--port", "5"];

        Assert.True(GatewayCommandLine.TryParse(args, out var options, out string? error), error);

        Assert.Equal(0, options!.Port);
        Assert.Equal(9001, options.RuntimeApiPort);
        Assert.Equal(EventFormat.RestApi, options.EventFormat);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.InitTimeout);
        Assert.Equal("dotnet", options.Command);
        Assert.Equal(["app.dll", "--port", "5"], options.Arguments);
    }

    [Theory]
    [InlineData("--event v3", "--event must be v2 (HTTP API payload 2.0) or v1 (REST API), not 'v3'.")]
    [InlineData("--port abc", "--port must be a port number from 0 to 65535, not 'abc'.")]
    [InlineData("--port 70000", "--port must be a port number from 0 to 65535, not '70000'.")]
    [InlineData("--timeout 0", "--timeout must be a number of seconds above 0, not '0'.")]
    [InlineData("--port", "--port needs a value.")]
    [InlineData("--port -- dotnet", "--port needs a value.")]
    [InlineData("--verbose 1", "Unknown option '--verbose'.")]
    [InlineData("dotnet run", "Unknown argument 'dotnet'. Put the app's command after --.")]
    [InlineData("--port 4000 --runtime-api-port 4000", "--port and --runtime-api-port must differ.")]
    public void A_wrong_command_line_says_what_is_wrong(string commandLine, string expected)
    {
        Assert.False(GatewayCommandLine.TryParse(commandLine.Split(' '), out var options, out string? error));

        Assert.Null(options);
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_a_wrong_option_exits_with_2()
    {
        var help = await RunToEndAsync("--help");
        var wrong = await RunToEndAsync("--event", "v3");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: sessions-lambda-gateway [options] [-- <command> [arguments...]]", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--event must be v2 (HTTP API payload 2.0) or v1 (REST API), not 'v3'.", wrong.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_how_to_choose_another()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var run = await RunToEndAsync("--port", port);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The gateway could not listen", run.Output, StringComparison.Ordinal);
        Assert.Contains("Choose other ports with --port and --runtime-api-port.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_serves_the_app_until_SIGTERM_then_stops_the_app_and_exits_0()
    {
        var output = new StringBuilder();
        using var gateway = Start(output, "--port", "0", "--", "dotnet", Path.Combine(AppContext.BaseDirectory, "LoginDemo.dll"));
        try
        {
            var listening = await WaitForAsync(output, ListeningLine(), gateway);
            var started = await WaitForAsync(output, StartedLine(), gateway);
            using var http = new HttpClient { BaseAddress = new Uri(listening.Groups[1].Value), Timeout = TimeSpan.FromSeconds(60) };
            using var response = await http.GetAsync("/counter");
            Assert.Equal("You have visited this page 1 times", await response.Content.ReadAsStringAsync());
            int appProcess = int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            using (var kill = Process.Start("kill", ["-TERM", gateway.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, gateway.ExitCode);
            Assert.False(IsRunning(appProcess), "The app outlived the gateway.");
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException("The gateway's output:\n" + Read(output), exception);
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Started the app \(process (\d+)\)")]
    private static partial Regex StartedLine();

    private static Process Start(StringBuilder output, params string[] arguments)
    {
        var info = ProcessRunner.CreateStartInfo(ProcessRunner.Dotnet, [GatewayDll, .. arguments], AppContext.BaseDirectory);
        info.Environment["Sessions__EncryptionKey"] = TestApps.EncryptionKey;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Task<ProcessRunner.Result> RunToEndAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.Dotnet, [GatewayDll, .. arguments], AppContext.BaseDirectory, TimeSpan.FromSeconds(60));

    private static async Task<Match> WaitForAsync(StringBuilder output, Regex pattern, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var match = pattern.Match(Read(output));
            if (match.Success)
            {
                return match;
            }

            Assert.False(process.HasExited, $"The gateway exited with code {(process.HasExited ? process.ExitCode : 0)}:\n{Read(output)}");
            Assert.True(DateTime.UtcNow < deadline, $"The gateway never printed /{pattern}/:\n{Read(output)}");
            await Task.Delay(20);
        }
    }

    // Running, and not a zombie waiting for a parent to reap it (/proc/{pid}/stat: "pid (name) Z ...").
    private static bool IsRunning(int processId)
    {
        string stat = Path.Combine("/proc", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat");
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
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

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
