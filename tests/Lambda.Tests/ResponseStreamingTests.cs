using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// Response streaming through the real Runtime API loop: the response is POSTed with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c> in chunks as the app writes, after the HTTP integration prelude;
/// a failure after the first byte ends it with the error trailers.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class ResponseStreamingTests
{
    private static readonly SessionKey<string> Note = new("note");

    [Fact]
    public async Task The_LoginDemo_stream_sends_its_events_as_it_writes_them_with_the_session_cookie_in_the_prelude()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartLoginDemoAsync(runtime);
        var jar = new CookieJar();

        var first = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/stream", domainName: "abcdefghij0123456789abcdefghij01.lambda-url.us-east-1.on.aws"));
        var stream = Assert.IsType<StreamedResponse>(first.Stream);
        Assert.Equal("application/vnd.awslambda.http-integration-response", first.ContentType);
        Assert.Equal(200, first.StatusCode);
        Assert.Equal("text/event-stream", first.Header("Content-Type"));
        Assert.Null(first.Header("Content-Length"));
        Assert.Contains(first.Cookies, c => c.StartsWith("session=Fe26.2", StringComparison.Ordinal));
        Assert.Null(stream.ErrorType);

        string body = first.Body;
        Assert.Equal(3, CountOf(body, "data: "));
        Assert.Contains("data: {\"event\":3,\"visits\":1}", body, StringComparison.Ordinal);

        // Each event reached the Runtime API when the app wrote it, a pause after the one before, not all at the end.
        var arrivals = stream.Chunks.Where(c => Encoding.UTF8.GetString(c.Data).Contains("data: ", StringComparison.Ordinal)).Select(c => c.ArrivedAt).ToList();
        Assert.Equal(3, arrivals.Count);
        Assert.Contains("\"statusCode\":200", Encoding.UTF8.GetString(stream.Chunks[0].Data), StringComparison.Ordinal);
        Assert.True(arrivals[^1] - stream.Chunks[0].ArrivedAt >= TimeSpan.FromMilliseconds(400), "The prelude did not arrive before the events were written.");
        for (int i = 1; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 1] >= TimeSpan.FromMilliseconds(250), $"Event {i + 1} arrived {(arrivals[i] - arrivals[i - 1]).TotalMilliseconds} ms after event {i}.");
        }

        jar.Apply(first);
        var second = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/stream", cookies: jar.Pairs));
        Assert.Contains("data: {\"event\":1,\"visits\":2}", second.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_marked_endpoints_stream_unless_the_option_streams_all_and_load_balancers_always_get_a_buffered_response()
    {
        static void Endpoints(WebApplication app)
        {
            app.MapGet("/plain", () => "buffered");
            app.MapGet("/marked", (Session session) =>
            {
                session.Set(Note, "kept");
                return "streamed";
            }).WithLambdaResponseStreaming();
        }

        await using (var runtime = await TestRuntimeApi.StartAsync())
        await using (var app = await LambdaApp.StartAsync(runtime, Endpoints))
        {
            var plain = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/plain"));
            Assert.Null(plain.Stream);
            Assert.Equal("buffered", plain.Body);

            var marked = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/marked"));
            Assert.NotNull(marked.Stream);
            Assert.Equal("streamed", marked.Body);

            // A REST API prelude carries multiValueHeaders, the session cookie among them.
            var rest = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/marked"));
            Assert.NotNull(rest.Stream);
            Assert.Equal(200, rest.StatusCode);
            Assert.Contains(rest.MultiValueHeader("Set-Cookie"), c => c.StartsWith("session=Fe26.2", StringComparison.Ordinal));

            var alb = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/marked", multiValue: true));
            Assert.Null(alb.Stream);
            Assert.Equal("streamed", alb.Body);
        }

        await using (var runtime = await TestRuntimeApi.StartAsync())
        await using (var app = await LambdaApp.StartAsync(runtime, Endpoints, options: options => options.ResponseStreaming = true))
        {
            var plain = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/plain"));
            Assert.NotNull(plain.Stream);
            Assert.Equal("buffered", plain.Body);
        }
    }

    [Fact]
    public async Task A_failure_after_the_first_streamed_byte_ends_the_stream_with_the_error_trailers_and_the_next_invocation_is_served()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/partial", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("half a page");
                await context.Response.Body.FlushAsync();
                throw new InvalidOperationException("The handler failed mid-stream.");
            }).WithLambdaResponseStreaming();
            endpoints.MapGet("/ok", () => "fine").WithLambdaResponseStreaming();
        });

        var failed = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/partial"));
        var stream = Assert.IsType<StreamedResponse>(failed.Stream);
        Assert.Equal("half a page", failed.Body);
        Assert.Equal("Runtime.StreamError", stream.ErrorType);
        var error = JsonNode.Parse(stream.ErrorBody!)!;
        Assert.Equal("Runtime.StreamError", error["errorType"]!.GetValue<string>());
        Assert.DoesNotContain("mid-stream", error["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"))).Body);
    }

    [Fact]
    public async Task A_deadline_behind_UseExceptionHandler_is_answered_504_not_499()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints =>
            {
                endpoints.MapGet("/slow", async (HttpContext context) =>
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return "unreachable";
                });
                endpoints.MapGet("/ok", () => "fine");
            },
            configure: builder => builder.Services.AddProblemDetails(),
            options: options => options.DeadlineMargin = TimeSpan.FromMilliseconds(200),
            beforeSessions: app => app.UseExceptionHandler());

        var result = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/slow"), deadline: DateTimeOffset.UtcNow.AddMilliseconds(700));
        Assert.Equal(504, result.StatusCode);
        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"))).Body);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
