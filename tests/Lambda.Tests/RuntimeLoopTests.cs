using System.Text;
using System.Text.Json.Nodes;
using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// The real Lambda host (LambdaServer, its Runtime API loop, the event mapping and the response feature) serving apps
/// through a Runtime API endpoint that behaves as Lambda's does. One collection: the loop sets _X_AMZN_TRACE_ID, a
/// process-wide variable.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class RuntimeLoopTests
{
    private static readonly SessionKey<string> Note = new("note");

    [Fact]
    public async Task The_LoginDemo_login_flow_keeps_its_session_across_invocations()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartLoginDemoAsync(runtime);
        var jar = new CookieJar();

        async Task<InvocationResult> SendAsync(string method, string path, string? form = null, bool base64 = false)
        {
            var result = await runtime.InvokeAsync(TestEvents.HttpApi(method, path, cookies: jar.Pairs, body: form, contentType: form is null ? null : "application/x-www-form-urlencoded", base64: base64));
            jar.Apply(result);
            return result;
        }

        var page = await SendAsync("GET", "/");
        Assert.Equal(200, page.StatusCode);
        Assert.Contains("id=\"login\"", page.Body, StringComparison.Ordinal);
        Assert.Empty(page.Cookies);

        var failed = await SendAsync("POST", "/login", "email=ada%40example.com&password=wrong");
        Assert.Equal(302, failed.StatusCode);
        Assert.Equal("/", failed.Header("Location"));
        string? firstSession = jar["session"];
        Assert.NotNull(firstSession);

        page = await SendAsync("GET", "/");
        Assert.Contains("Incorrect username or password", page.Body, StringComparison.Ordinal);
        Assert.Contains("Failed login attempts: 1", page.Body, StringComparison.Ordinal);

        var login = await SendAsync("POST", "/login", "email=ada%40example.com&password=" + LoginEndpoints.CorrectPassword, base64: true);
        Assert.Equal(302, login.StatusCode);
        Assert.NotEqual(firstSession, jar["session"]);

        page = await SendAsync("GET", "/");
        Assert.Contains("Login Successful", page.Body, StringComparison.Ordinal);
        Assert.Contains("Log out ada@example.com", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed login attempts", page.Body, StringComparison.Ordinal);

        Assert.Equal("You have visited this page 1 times", (await SendAsync("GET", "/counter")).Body);
        Assert.Equal("You have visited this page 2 times", (await SendAsync("GET", "/counter")).Body);

        var logout = await SendAsync("POST", "/logout");
        Assert.Equal(302, logout.StatusCode);
        Assert.Null(jar["session"]);
        Assert.Contains("id=\"login\"", (await SendAsync("GET", "/")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_LoginDemo_counter_keeps_counting_through_a_REST_API_and_a_multi_value_load_balancer()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartLoginDemoAsync(runtime);

        var rest = new CookieJar();
        for (int visit = 1; visit <= 2; visit++)
        {
            var result = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/counter", rest.Pairs));
            rest.Apply(result);
            Assert.Equal($"You have visited this page {visit} times", result.Body);
        }

        var alb = new CookieJar();
        for (int visit = 1; visit <= 2; visit++)
        {
            var result = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/counter", multiValue: true, alb.Pairs));
            alb.Apply(result);
            Assert.Equal($"You have visited this page {visit} times", result.Body);
            Assert.Equal("200 OK", result.Document["statusDescription"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_session_cookie_and_another_cookie_both_reach_the_browser_in_every_multi_value_format()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/both", (HttpContext context, Session session) =>
        {
            session.Set(Note, "remembered");
            context.Response.Cookies.Append("theme", "dark");
            return "ok";
        }));

        var httpApi = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/both"));
        Assert.Equal(2, httpApi.Cookies.Count);
        Assert.Contains(httpApi.Cookies, c => c.StartsWith("theme=dark", StringComparison.Ordinal));
        Assert.Contains(httpApi.Cookies, c => c.StartsWith("session=Fe26.2", StringComparison.Ordinal));
        Assert.Null(httpApi.Header("Set-Cookie"));

        var rest = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/both"));
        Assert.Equal(2, rest.MultiValueHeader("Set-Cookie").Count);

        var alb = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/both", multiValue: true));
        Assert.Equal(2, alb.MultiValueHeader("Set-Cookie").Count);
        Assert.Null(alb.Document["headers"]);

        // Without multi-value headers only one cookie could go: the invocation fails and says how to fix it (EdgeCaseTests).
        var single = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/both", multiValue: false));
        Assert.Equal("Runtime.MultiValueHeadersRequired", single.ErrorType);

        // The cookie the session middleware wrote comes back in, and the session is there.
        var jar = new CookieJar();
        jar.Apply(httpApi);
        Assert.Equal("dark", jar["theme"]);
    }

    [Fact]
    public async Task A_handler_that_throws_gets_a_500_like_Kestrel_gives_and_the_next_invocation_is_served()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/boom", (HttpContext context, Session session) =>
            {
                session.Set(Note, "never saved");
                context.Response.Headers["X-Before-Failure"] = "set";
                throw new InvalidOperationException("The handler failed.");
            });
            endpoints.MapGet("/ok", () => "fine");
        });

        var failed = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/boom"));
        Assert.False(failed.IsError);
        Assert.Equal(500, failed.StatusCode);
        Assert.Equal(string.Empty, failed.Body);
        Assert.Empty(failed.Cookies);
        Assert.Null(failed.Header("X-Before-Failure"));
        Assert.Equal("0", failed.Header("Content-Length"));

        var next = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"));
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("fine", next.Body);
    }

    [Fact]
    public async Task A_handler_that_fails_after_its_response_started_is_reported_as_a_failed_invocation()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/partial", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("half a page");
                await context.Response.Body.FlushAsync();
                throw new InvalidOperationException("The handler failed mid-response.");
            });
            endpoints.MapGet("/ok", () => "fine");
        });

        var failed = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/partial"));
        Assert.True(failed.IsError);
        Assert.Equal("Runtime.ResponseAborted", failed.ErrorType);
        Assert.Equal("Runtime.ResponseAborted", failed.Document["errorType"]!.GetValue<string>());

        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"))).Body);
    }

    [Fact]
    public async Task A_malformed_or_unknown_event_is_reported_to_the_error_endpoint_and_the_loop_goes_on()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/ok", () => "fine"));

        var malformed = await runtime.InvokeAsync(Encoding.UTF8.GetBytes("{\"version\":\"2.0\",\"rawPath\":"));
        Assert.True(malformed.IsError);
        Assert.Equal("Runtime.InvalidEvent", malformed.ErrorType);
        Assert.Equal("application/vnd.aws.lambda.error+json", malformed.ContentType);
        Assert.Equal("Runtime.InvalidEvent", malformed.Document["errorType"]!.GetValue<string>());
        Assert.Contains("not valid JSON", malformed.Document["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(malformed.Document["stackTrace"]!.AsArray());

        var queueMessage = await runtime.InvokeAsync(new JsonObject { ["Records"] = new JsonArray(new JsonObject { ["eventSource"] = "aws:sqs", ["body"] = "hello" }) });
        Assert.True(queueMessage.IsError);
        Assert.Equal("Runtime.InvalidEvent", queueMessage.ErrorType);
        Assert.Contains("not an HTTP event", queueMessage.Document["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        var badBody = TestEvents.HttpApi("POST", "/ok", body: "@@not base64@@");
        badBody["isBase64Encoded"] = true;
        var badBase64 = await runtime.InvokeAsync(badBody);
        Assert.Equal("Runtime.InvalidEvent", badBase64.ErrorType);

        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"))).Body);
    }

    [Fact]
    public async Task The_deadline_cancels_RequestAborted_shortly_before_it_passes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints =>
            {
                endpoints.MapGet("/slow", async (HttpContext context) =>
                {
                    started.TrySetResult(context.GetLambdaInvocation()!.RemainingTime);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return "unreachable";
                });
                endpoints.MapGet("/ok", () => "fine");
            },
            builder => builder.Services.AddSingleton<TimeProvider>(clock),
            options => options.DeadlineMargin = TimeSpan.FromMilliseconds(400));

        var pending = runtime.InvokeAsync(TestEvents.HttpApi("GET", "/slow"), deadline: clock.GetUtcNow().AddSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), await started.Task.WaitAsync(TimeSpan.FromSeconds(60)));

        clock.Advance(TimeSpan.FromSeconds(9.5));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        var result = await pending;
        Assert.Equal(504, result.StatusCode);
        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"), deadline: clock.GetUtcNow().AddSeconds(10))).Body);
    }

    [Fact]
    public async Task The_invocation_request_id_function_arn_trace_id_and_remaining_time_are_reachable_from_HttpContext()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/whoami", (HttpContext context) =>
        {
            var invocation = context.GetLambdaInvocation()!;
            return Results.Text(
                new JsonObject
                {
                    ["requestId"] = invocation.RequestId,
                    ["traceIdentifier"] = context.TraceIdentifier,
                    ["arn"] = invocation.InvokedFunctionArn,
                    ["traceId"] = invocation.TraceId,
                    ["traceVariable"] = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
                    ["remainingSeconds"] = invocation.RemainingTime.TotalSeconds,
                    ["remoteIp"] = context.Connection.RemoteIpAddress?.ToString(),
                    ["url"] = context.Request.GetEncodedUrl(),
                }.ToJsonString(),
                "application/json; charset=utf-8");
        }));

        const string Arn = "arn:aws:lambda:eu-west-1:123456789012:function:login-demo:live";
        const string TraceId = "Root=1-65a1b2c3-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";
        var result = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/whoami"), DateTimeOffset.UtcNow.AddMinutes(2), Arn, TraceId);

        var body = JsonNode.Parse(result.Body)!;
        Assert.StartsWith("req-", body["requestId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(body["requestId"]!.GetValue<string>(), body["traceIdentifier"]!.GetValue<string>());
        Assert.Equal(Arn, body["arn"]!.GetValue<string>());
        Assert.Equal(TraceId, body["traceId"]!.GetValue<string>());
        Assert.Equal(TraceId, body["traceVariable"]!.GetValue<string>());
        Assert.InRange(body["remainingSeconds"]!.GetValue<double>(), 1, 120);
        Assert.Equal("198.51.100.20", body["remoteIp"]!.GetValue<string>());
        Assert.Equal("https://r3pmxmplak.execute-api.us-east-1.amazonaws.com/whoami", body["url"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", result.Header("Content-Type"));
        Assert.False(result.Document["isBase64Encoded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Binary_responses_are_base64_encoded_and_text_is_not()
    {
        byte[] image = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE];
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/image", () => Results.Bytes(image, "image/png"));
            endpoints.MapPost("/echo", async (HttpRequest request) =>
            {
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy);
                return Results.Bytes(copy.ToArray(), request.ContentType);
            });
        });

        var png = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/image"));
        Assert.True(png.Document["isBase64Encoded"]!.GetValue<bool>());
        Assert.Equal(image, png.BodyBytes);

        var text = await runtime.InvokeAsync(TestEvents.HttpApi("POST", "/echo", body: "grüße", contentType: "text/plain; charset=utf-8", base64: true));
        Assert.False(text.Document["isBase64Encoded"]!.GetValue<bool>());
        Assert.Equal("grüße", text.Body);
    }
}

/// <summary>Tests that run the Lambda loop in this process share process-wide state (the trace id variable).</summary>
[CollectionDefinition(Name)]
public sealed class RuntimeLoopCollection
{
    public const string Name = "Lambda runtime loop";
}
