using System.Diagnostics;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// The LoginDemo sample as its own process, started the way Lambda starts a function: only <c>AWS_LAMBDA_RUNTIME_API</c>
/// tells it to serve invocations (through the one <c>AddLambdaHosting()</c> line in the demo). Derived classes run it JIT
/// on the <c>dotnet</c> host and as a Native AOT <c>bootstrap</c>.
/// </summary>
public abstract class LoginDemoProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The command, arguments and working directory that start the demo.</summary>
    protected abstract (string Command, string[] Arguments, string WorkingDirectory) Function { get; }

    [Fact]
    public async Task The_demo_serves_invocations_and_carries_the_session_cookie_from_one_to_the_next()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var function = Start(runtime, LambdaApp.EncryptionKey);
        var jar = new CookieJar();
        try
        {
            var first = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/counter", cookies: jar.Pairs));
            jar.Apply(first);
            Assert.Equal("You have visited this page 1 times", first.Body);
            Assert.StartsWith("Fe26.2**", jar["session"], StringComparison.Ordinal);

            var second = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/counter", cookies: jar.Pairs));
            Assert.Equal("You have visited this page 2 times", second.Body);

            var login = await runtime.InvokeAsync(TestEvents.HttpApi("POST", "/login", cookies: jar.Pairs, body: "email=aot%40example.com&password=correct", contentType: "application/x-www-form-urlencoded"));
            jar.Apply(login);
            Assert.Equal(302, login.StatusCode);
            var page = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/", cookies: jar.Pairs));
            Assert.Contains("Log out aot@example.com", page.Body, StringComparison.Ordinal);

            var malformed = await runtime.InvokeAsync("not an event"u8.ToArray());
            Assert.Equal("Runtime.InvalidEvent", malformed.ErrorType);
            Assert.Equal(200, (await runtime.InvokeAsync(TestEvents.RestApi("GET", "/read"))).StatusCode);
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException("The function process failed. Its output:\n" + function.Output, exception);
        }
    }

    [Fact]
    public async Task A_startup_failure_is_reported_to_init_error_and_the_process_exits()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var function = Start(runtime, encryptionKey: null);

        var error = await runtime.InitError;
        Assert.True(error.IsError);
        Assert.Equal("Microsoft.Extensions.Options.OptionsValidationException", error.ErrorType);
        Assert.Equal(error.ErrorType, error.Document["errorType"]!.GetValue<string>());
        Assert.Contains("Sessions:EncryptionKey is not set", error.Document["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(0, await function.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task A_fault_the_loop_did_not_foresee_ends_the_process_with_a_non_zero_exit_instead_of_leaving_it_idle()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var function = Start(runtime, LambdaApp.EncryptionKey);
        Assert.Equal(200, (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/read"))).StatusCode);

        // A deadline no DateTimeOffset can hold: reading it throws ArgumentOutOfRangeException, outside the Runtime API
        // failures the loop expects. AWS's runtime lets such a fault end the process; so does this one.
        _ = runtime.InvokeWithDeadlineHeaderAsync(TestEvents.HttpApi("GET", "/read"), "99999999999999999");
        int exitCode = await function.WaitForExitAsync(Patience);
        Assert.True(exitCode != 0, "The process exited with 0. Its output:\n" + function.Output);
        Assert.Contains("The Lambda invocation loop failed unexpectedly", function.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_GC_heap_limit_is_the_function_memory_size()
    {
        long available = await GCWorksWithinAsync(new() { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256" }, "GC heap hard limit set to 268435456 bytes");
        Assert.Equal(256L * 1024 * 1024, available);
    }

    [Fact]
    public async Task A_heap_limit_the_app_set_wins_over_the_function_memory_size_even_when_it_is_higher()
    {
        long available = await GCWorksWithinAsync(
            new() { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256", ["DOTNET_GCHeapHardLimit"] = "18000000" },
            "GC heap hard limit left as the app configured it (DOTNET_GCHeapHardLimit)");
        Assert.Equal(384L * 1024 * 1024, available);
    }

    [Fact]
    public async Task AWS_variable_that_turns_the_memory_limit_off_leaves_the_GC_alone()
    {
        long available = await GCWorksWithinAsync(
            new() { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256", ["AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK"] = "true" },
            "GC heap hard limit not set from AWS_LAMBDA_FUNCTION_MEMORY_SIZE (TurnedOff)");
        Assert.NotEqual(256L * 1024 * 1024, available);
    }

    /// <summary>
    /// Starts the demo with <paramref name="environment"/> and Debug logs, serves one invocation, and returns what the host's
    /// startup line says the GC works within (<c>GC.GetGCMemoryInfo().TotalAvailableMemoryBytes</c>, read after the change).
    /// </summary>
    private async Task<long> GCWorksWithinAsync(Dictionary<string, string?> environment, string expectedLine)
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        environment["AWS_LAMBDA_LOG_LEVEL"] = "DEBUG";
        await using var function = Start(runtime, LambdaApp.EncryptionKey, environment);
        Assert.Equal(200, (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/read"))).StatusCode);

        string output = function.Output;
        string? line = output.Split('\n').FirstOrDefault(l => l.Contains("GC heap hard limit", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains(expectedLine, StringComparison.Ordinal), "Expected a startup line with \"" + expectedLine + "\". The output:\n" + output);
        var match = System.Text.RegularExpressions.Regex.Match(line, @"works within (\d+) bytes");
        Assert.True(match.Success, line);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private LambdaProcess Start(TestRuntimeApi runtime, string? encryptionKey, Dictionary<string, string?>? environment = null)
    {
        var (command, arguments, directory) = Function;
        environment ??= [];
        environment["Sessions__EncryptionKey"] = encryptionKey;
        return LambdaProcess.Start(command, arguments, directory, runtime.Address, environment);
    }
}

/// <summary>The demo on the <c>dotnet</c> host, as the <c>dotnet10</c> managed runtime runs an executable assembly.</summary>
public sealed class JitLoginDemoProcessTests : LoginDemoProcessTests
{
    protected override (string Command, string[] Arguments, string WorkingDirectory) Function =>
        ("dotnet", [Path.Combine(AppContext.BaseDirectory, "LoginDemo.dll")], AppContext.BaseDirectory);
}

/// <summary>The demo published with Native AOT as a <c>bootstrap</c> for <c>provided.al2023</c> (one publish for the class).</summary>
public sealed class NativeAotLoginDemoProcessTests : LoginDemoProcessTests, IClassFixture<NativeAotBootstrap>
{
    private readonly NativeAotBootstrap _bootstrap;

    public NativeAotLoginDemoProcessTests(NativeAotBootstrap bootstrap) => _bootstrap = bootstrap;

    protected override (string Command, string[] Arguments, string WorkingDirectory) Function =>
        (_bootstrap.Executable, [], _bootstrap.Directory);
}

/// <summary>Publishes samples/LoginDemo with PublishAot for linux-x64 and names the executable <c>bootstrap</c>, as docs/lambda.md does.</summary>
public sealed class NativeAotBootstrap : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sessions-lambda-aot-" + Guid.NewGuid().ToString("N")[..8]);

    public string Directory => Path.Combine(_root, "publish");

    public string Executable => Path.Combine(Directory, "bootstrap");

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "publish", Path.Combine("samples", "LoginDemo", "LoginDemo.csproj"),
            "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
            "--artifacts-path", Path.Combine(_root, "artifacts"), "-o", Directory, "-nologo",
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(info)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Native AOT publishing failed (exit {publish.ExitCode}); it needs clang (bash eng/test.sh installs it).\n{await output}\n{await errors}");
        }

        File.Move(Path.Combine(Directory, "LoginDemo"), Executable);
    }

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
