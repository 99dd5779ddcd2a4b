using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>
/// The Runtime API the gateway serves, and how invocations end: the app's error, a wrong request id, Lambda's 6 MB
/// limits, one invocation at a time, timeouts, and a request nobody picks up.
/// </summary>
public sealed class RuntimeApiTests
{
    [Fact]
    public async Task An_error_the_function_reports_becomes_a_502_with_its_type_and_message()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/boom");
        var invocation = await runtime.NextAsync();
        using var accepted = await runtime.FailAsync(invocation.RequestId, "System.InvalidOperationException", "It broke.");
        using var response = await sent;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("The function reported an error (System.InvalidOperationException): It broke.", (string?)error["message"]);
        Assert.Equal("System.InvalidOperationException", (string?)error["errorType"]);
        Assert.Equal("It broke.", (string?)error["errorMessage"]);
        Assert.Equal("at Function.Handle()", (string?)error["stackTrace"]![0]);
    }

    [Fact]
    public async Task Only_the_invocation_handed_out_can_be_answered_and_only_once()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/");
        var invocation = await runtime.NextAsync();
        using var wrongId = await runtime.RespondAsync(Guid.NewGuid().ToString(), """{"statusCode":200}""");
        using var answered = await runtime.RespondAsync(invocation.RequestId, """{"statusCode":200}""");
        using var twice = await runtime.FailAsync(invocation.RequestId, "Late", "Too late.");
        using var response = await sent;

        Assert.Equal(HttpStatusCode.BadRequest, wrongId.StatusCode);
        Assert.Equal("InvalidRequestID", (string?)JsonNode.Parse(await wrongId.Content.ReadAsStringAsync())!["errorType"]);
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_response_over_6_MB_is_refused_with_413_and_the_error_the_runtime_then_reports_becomes_a_502()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/large");
        var invocation = await runtime.NextAsync();
        string large = new JsonObject { ["statusCode"] = 200, ["body"] = new string('x', GatewayOptions.PayloadLimit) }.ToJsonString();
        using var refused = await runtime.RespondAsync(invocation.RequestId, large);
        using var reported = await runtime.FailAsync(invocation.RequestId, "Runtime.ResponseRefused", "The response was refused.");
        using var response = await sent;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("RequestEntityTooLarge", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errorType"]);
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("Runtime.ResponseRefused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_whose_event_would_exceed_6_MB_gets_413_without_reaching_the_app()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);
        using var cancelNext = new CancellationTokenSource();
        var next = runtime.NextAsync(cancelNext.Token);

        // Base64 makes 5 MB of binary about 6.7 MB of event.
        using var content = new ByteArrayContent(new byte[5 * 1024 * 1024]);
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await gateway.Client.PostAsync("/upload", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds Lambda's limit", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"], StringComparison.Ordinal);
        Assert.False(next.IsCompleted);
        await cancelNext.CancelAsync();
    }

    [Fact]
    public async Task Invocations_are_handed_out_one_at_a_time()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var first = gateway.Client.GetAsync("/first");
        var firstInvocation = await runtime.NextAsync();
        var second = gateway.Client.GetAsync("/second");
        var secondNext = runtime.NextAsync();

        // The second request waits for the first invocation to end, as in one Lambda execution environment.
        await Task.Delay(300);
        Assert.False(secondNext.IsCompleted, "A second invocation was handed out before the first one ended.");
        Assert.Equal("/first", (string?)firstInvocation.Event["rawPath"]);
        await runtime.RespondAsync(firstInvocation.RequestId, """{"statusCode":200,"body":"first"}""");
        var secondInvocation = await secondNext;
        Assert.Equal("/second", (string?)secondInvocation.Event["rawPath"]);
        await runtime.RespondAsync(secondInvocation.RequestId, """{"statusCode":200,"body":"second"}""");

        Assert.Equal("first", await (await first).Content.ReadAsStringAsync());
        Assert.Equal("second", await (await second).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invocation_not_answered_within_the_timeout_gets_504_and_a_late_answer_is_refused()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi, timeout: TimeSpan.FromSeconds(1));
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/slow");
        var invocation = await runtime.NextAsync();
        using var response = await sent;
        using var late = await runtime.RespondAsync(invocation.RequestId, """{"statusCode":200}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer within 1 s (--timeout)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
    }

    [Fact]
    public async Task Without_an_app_asking_a_request_gets_504_saying_how_to_start_one_and_its_event_is_dropped()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi, initTimeout: TimeSpan.FromSeconds(1));
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        using var unanswered = await gateway.Client.GetAsync("/nobody");
        var sent = gateway.Client.GetAsync("/somebody");
        var invocation = await runtime.NextAsync();
        await runtime.RespondAsync(invocation.RequestId, """{"statusCode":200}""");
        using var answered = await sent;

        Assert.Equal(HttpStatusCode.GatewayTimeout, unanswered.StatusCode);
        Assert.Contains($"Start your app with AWS_LAMBDA_RUNTIME_API={gateway.RuntimeApi}", await unanswered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/somebody", (string?)invocation.Event["rawPath"]);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task An_init_error_of_an_app_started_by_hand_is_served_to_the_next_request_only()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        using var accepted = await runtime.InitFailedAsync("Runtime.ConfigurationError", "Sessions:EncryptionKey is not set.");
        using var failed = await gateway.Client.GetAsync("/");
        var sent = gateway.Client.GetAsync("/again");
        var invocation = await runtime.NextAsync();
        await runtime.RespondAsync(invocation.RequestId, """{"statusCode":200}""");
        using var served = await sent;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("The app failed to start (Runtime.ConfigurationError): Sessions:EncryptionKey is not set.", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task An_error_post_that_is_not_an_error_document_is_reported_with_the_header_type_and_the_text()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.RestApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/");
        var invocation = await runtime.NextAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, $"runtime/invocation/{invocation.RequestId}/error")
        {
            Content = new StringContent("plain words", Encoding.UTF8, "text/plain"),
        };
        post.Headers.Add("Lambda-Runtime-Function-Error-Type", "Runtime.Unknown");
        using var accepted = await runtime.SendAsync(post);
        using var response = await sent;

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Runtime.Unknown", (string?)error["errorType"]);
        Assert.Equal("plain words", (string?)error["errorMessage"]);
    }

    [Fact]
    public async Task Paths_outside_the_Runtime_API_get_404()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        using var response = await runtime.SendAsync(new HttpRequestMessage(HttpMethod.Get, "runtime/invocation/other"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UnknownResource", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorType"]);
    }
}
