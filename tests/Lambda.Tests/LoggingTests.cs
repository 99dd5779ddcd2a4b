using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// The records the Lambda logger emits, read back as Lambda would: the format and level of AWS_LAMBDA_LOG_FORMAT and
/// AWS_LAMBDA_LOG_LEVEL, the invocation's request and trace ids on every record written while serving it, and one
/// CloudWatch record per log record (one line on standard output, one frame on the telemetry log descriptor).
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class LoggingTests
{
    private const string TraceA = "Root=1-67a0b1c2-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1";
    private const string TraceB = "Root=1-67a0b1c3-fedcba9876543210fedcba98;Parent=2222222222222222;Sampled=0";

    [Fact]
    public async Task With_JSON_every_record_is_one_JSON_object_startup_included_and_each_carries_its_own_invocation()
    {
        var capture = new LogCapture();
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using (var app = await StartAsync(runtime, Settings(capture, "JSON")))
        {
            var first = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/work"), traceId: TraceA);
            var second = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/work"), traceId: TraceB);
            Assert.NotEqual(first.Body, second.Body);

            var records = capture.JsonRecords;
            Assert.Contains(records, r => Text(r, "logger") == "SessionsServerless.Lambda" && Text(r, "message")!.StartsWith("Serving AWS Lambda invocations", StringComparison.Ordinal) && r["requestId"] is null);

            var work = records.Where(r => Text(r, "logger") == "Work").ToList();
            Assert.Equal(4, work.Count);
            Assert.All(work.Take(2), r => Assert.Equal(first.Body, Text(r, "requestId")));
            Assert.All(work.Take(2), r => Assert.Equal("1-67a0b1c2-0123456789abcdef01234567", Text(r, "traceId")));
            Assert.All(work.Skip(2), r => Assert.Equal(second.Body, Text(r, "requestId")));
            Assert.All(work.Skip(2), r => Assert.Equal("1-67a0b1c3-fedcba9876543210fedcba98", Text(r, "traceId")));

            var served = work[0];
            Assert.Equal("Information", Text(served, "level"));
            Assert.Equal("Serving order 42\nfor ada", Text(served, "message"));
            Assert.Equal(42, served["Order"]!.GetValue<long>());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", Text(served, "timestamp"));

            var failed = work[1];
            Assert.Equal("Error", Text(failed, "level"));
            Assert.Equal("System.InvalidOperationException", Text(failed, "errorType"));
            Assert.Equal("The warehouse is closed.", Text(failed, "errorMessage"));
            Assert.Contains(failed["stackTrace"]!.AsArray(), line => line!.GetValue<string>().Contains("LoggingTests", StringComparison.Ordinal));
        }

        // Shutting down is logged too, and still as JSON.
        Assert.All(capture.JsonRecords, r => Assert.NotNull(r["timestamp"]));
    }

    [Fact]
    public async Task With_text_a_multi_line_record_is_one_line_with_the_request_id()
    {
        var capture = new LogCapture();
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await StartAsync(runtime, Settings(capture, "Text"));
        var result = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/work"));

        var work = capture.Lines.Where(line => line.Contains("\tWork: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, work.Count);
        string[] fields = work[1].Split('\t');
        Assert.Equal(result.Body, fields[1]);
        Assert.Equal("ERROR", fields[2]);
        Assert.Contains("\r", work[1], StringComparison.Ordinal);
        Assert.Contains("The warehouse is closed.", work[1], StringComparison.Ordinal);
        Assert.Equal($"{result.Body}\tINFO\tWork: Serving order 42\rfor ada", string.Join('\t', work[0].Split('\t')[1..]));
    }

    [Fact]
    public async Task On_the_telemetry_log_descriptor_each_record_is_one_frame_with_its_line_breaks_kept()
    {
        string path = Path.Combine(Path.GetTempPath(), "lambda-telemetry-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
            int descriptor = (int)file.SafeFileHandle.DangerousGetHandle();
            var settings = LambdaLogSettings.FromEnvironment(name => name switch
            {
                "AWS_LAMBDA_LOG_FORMAT" => "JSON",
                "_LAMBDA_TELEMETRY_LOG_FD" => descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            });
            Assert.True(settings.Framed);

            await using var runtime = await TestRuntimeApi.StartAsync();
            InvocationResult result;
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            await using (var app = await StartAsync(runtime, settings))
            {
                result = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/work"));
            }

            var frames = LogCapture.Frames(File.ReadAllBytes(path));
            var work = frames.Where(f => f.Payload.Contains("\"logger\":\"Work\"", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, work.Count);

            // Type: magic a55a, level INFO (3) / ERROR (5) in bits 2-4, timestamp present (bit 1), JSON (bit 0 clear).
            Assert.Equal(0xA55A0000u | (3u << 2) | 2u, work[0].Type);
            Assert.Equal(0xA55A0000u | (5u << 2) | 2u, work[1].Type);
            Assert.InRange(work[0].Microseconds, before - 1_000_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + 1_000_000);
            var record = JsonNode.Parse(work[0].Payload)!.AsObject();
            Assert.Equal(result.Body, Text(record, "requestId"));
            Assert.Equal("Serving order 42\nfor ada", Text(record, "message"));
            Assert.All(frames, f => JsonNode.Parse(f.Payload));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("WARN", false, false, true)]
    [InlineData("DEBUG", true, true, true)]
    [InlineData(null, false, true, true)]
    public async Task AWS_LAMBDA_LOG_LEVEL_sets_the_level_records_are_written_from(string? level, bool debug, bool information, bool warning)
    {
        var capture = new LogCapture();
        var settings = LambdaLogSettings.FromEnvironment(name => name switch
        {
            "AWS_LAMBDA_LOG_FORMAT" => "JSON",
            "AWS_LAMBDA_LOG_LEVEL" => level,
            _ => null,
        });
        settings = new LambdaLogSettings { Format = settings.Format, MinimumLevel = settings.MinimumLevel, Output = capture };
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints => endpoints.MapGet("/levels", (ILoggerFactory loggers) =>
            {
                var logger = loggers.CreateLogger("Levels");
                logger.LogDebug("a debug record");
                logger.LogInformation("an information record");
                logger.LogWarning("a warning record");
                return "ok";
            }),
            builder => builder.Logging.SetMinimumLevel(LogLevel.Information),
            logs: settings);

        await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/levels"));
        var levels = capture.JsonRecords.Where(r => Text(r, "logger") == "Levels").Select(r => Text(r, "level")).ToList();
        Assert.Equal(debug, levels.Contains("Debug"));
        Assert.Equal(information, levels.Contains("Information"));
        Assert.Equal(warning, levels.Contains("Warning"));
    }

    [Fact]
    public async Task Invocations_served_at_the_same_time_each_log_their_own_request_id()
    {
        var capture = new LogCapture();
        using var provider = new LambdaLoggerProvider(new LambdaLogSettings { Format = LambdaLogFormat.Json, Output = capture });
        var logger = provider.CreateLogger("Concurrent");
        using var barrier = new Barrier(8);

        var invocations = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            using var scope = LambdaLogContext.Begin("request-" + i, "Root=1-00000000-" + i.ToString("D24", System.Globalization.CultureInfo.InvariantCulture));
            for (int round = 0; round < 20; round++)
            {
                barrier.SignalAndWait();
                await Task.Yield();
                logger.LogInformation("work of {Invocation}", i);
            }
        })).ToArray();
        await Task.WhenAll(invocations);

        var records = capture.JsonRecords;
        Assert.Equal(160, records.Count);
        Assert.All(records, r => Assert.Equal("request-" + r["Invocation"]!.GetValue<long>(), Text(r, "requestId")));
        Assert.Null(LambdaLogContext.Current);
    }

    [Fact]
    public void The_Lambda_logger_replaces_the_console_logger_only_when_the_app_runs_on_Lambda()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"));
        var kestrel = WebApplication.CreateBuilder();
        kestrel.Services.AddLambdaHosting();
        Assert.Contains(kestrel.Services, d => d.ImplementationType?.Name == "ConsoleLoggerProvider");
        using (var app = kestrel.Build())
        {
            Assert.DoesNotContain(app.Services.GetServices<ILoggerProvider>(), p => p is LambdaLoggerProvider);
        }

        var lambda = WebApplication.CreateBuilder();
        lambda.Services.AddLambdaRuntime("127.0.0.1:9", logs: LogCapture.Quiet);
        Assert.DoesNotContain(lambda.Services, d => d.ImplementationType?.Name == "ConsoleLoggerProvider");
        using var lambdaApp = lambda.Build();
        Assert.Contains(lambdaApp.Services.GetServices<ILoggerProvider>(), p => p is LambdaLoggerProvider);
    }

    private static LambdaLogSettings Settings(LogCapture capture, string format) =>
        new() { Format = format == "JSON" ? LambdaLogFormat.Json : LambdaLogFormat.Text, Output = capture };

    private static Task<LambdaApp> StartAsync(TestRuntimeApi runtime, LambdaLogSettings settings) => LambdaApp.StartAsync(
        runtime,
        endpoints => endpoints.MapGet("/work", (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Work");
            logger.LogInformation("Serving order {Order}\nfor {Customer}", 42, "ada");
            try
            {
                throw new InvalidOperationException("The warehouse is closed.");
            }
            catch (InvalidOperationException exception)
            {
                logger.LogError(exception, "Order {Order} failed", 42);
            }

            return context.GetLambdaInvocation()!.RequestId;
        }),
        logs: settings);

    private static string? Text(JsonObject record, string name) => record[name]?.GetValue<string>();
}
