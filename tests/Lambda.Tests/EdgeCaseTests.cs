using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// Events and responses at the edges, through the real Runtime API loop: text that is not Unicode, header values that
/// would forge headers, cookies a single-value load balancer cannot carry, bodies and framing headers a response must
/// not pass on, long non-ASCII paths and custom-domain base paths.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class EdgeCaseTests
{
    [Fact]
    public async Task Invalid_text_or_a_forged_header_in_an_event_is_Runtime_InvalidEvent_without_a_stack_trace_and_the_next_invocation_is_served()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/ok", (HttpRequest request) => "fine " + request.Headers["x-note"]));

        string valid = TestEvents.HttpApi("GET", "/ok").ToJsonString();
        byte[][] events =
        [
            // A lone high surrogate escaped in a header value, and a lone low surrogate in the path.
            Encoding.UTF8.GetBytes(valid.Replace("\"user-agent\":\"lambda-tests\"", "\"user-agent\":\"\\ud800\"", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(valid.Replace("\"rawPath\":\"/ok\"", "\"rawPath\":\"/ok\\udc00\"", StringComparison.Ordinal)),

            // A surrogate in a header name, and bytes that are not UTF-8 in the path.
            Encoding.UTF8.GetBytes(valid.Replace("\"user-agent\":", "\"user-\\ud83d\":", StringComparison.Ordinal)),
            Replace(Encoding.UTF8.GetBytes(valid), "\"rawPath\":\"/ok\""u8.ToArray(), [.. "\"rawPath\":\"/ok"u8, 0xC3, 0x28, (byte)'"']),

            // A header value that would forge a second header.
            Encoding.UTF8.GetBytes(valid.Replace("\"user-agent\":\"lambda-tests\"", "\"user-agent\":\"a\\r\\nx-admin: 1\"", StringComparison.Ordinal)),
        ];

        foreach (byte[] @event in events)
        {
            var result = await runtime.InvokeAsync(@event);
            Assert.True(result.IsError, Encoding.UTF8.GetString(@event));
            Assert.Equal("Runtime.InvalidEvent", result.ErrorType);
            Assert.Empty(result.Document["stackTrace"]!.AsArray());
            Assert.DoesNotContain("   at ", result.Document["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var fine = TestEvents.HttpApi("GET", "/ok");
        fine["headers"]!["x-note"] = "grüße 😀";
        Assert.Equal("fine grüße 😀", (await runtime.InvokeAsync(fine)).Body);
    }

    [Fact]
    public async Task A_response_header_value_with_CR_or_LF_is_refused_at_set_time_with_the_exception_Kestrel_throws()
    {
        static void Map(WebApplication app) => app.MapGet("/header", (HttpContext context) =>
        {
            string refused = "none";
            try
            {
                context.Response.Headers["X-Echo"] = "value\r\nSet-Cookie: forged=1";
            }
            catch (InvalidOperationException exception)
            {
                refused = exception.Message;
            }

            string refusedName = "none";
            try
            {
                context.Response.Headers.Append("X-Bad\nName", "v");
            }
            catch (InvalidOperationException exception)
            {
                refusedName = exception.Message;
            }

            context.Response.Headers["X-Tab"] = "a\tb";
            return refused + "|" + refusedName;
        });

        // The same endpoint on Kestrel itself.
        var kestrel = WebApplication.CreateSlimBuilder();
        kestrel.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        kestrel.Logging.ClearProviders();
        await using var kestrelApp = kestrel.Build();
        Map(kestrelApp);
        await kestrelApp.StartAsync();
        using var client = new HttpClient();
        string kestrelAnswer = await client.GetStringAsync(new Uri(kestrelApp.Urls.First() + "/header"));

        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var lambda = await LambdaApp.StartAsync(runtime, endpoints => Map(endpoints));
        var result = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/header"));

        Assert.StartsWith("Invalid non-ASCII or control character in header: 0x000D|", kestrelAnswer, StringComparison.Ordinal);
        Assert.Equal(kestrelAnswer, result.Body);
        Assert.Null(result.Header("X-Echo"));
        Assert.Equal("a\tb", result.Header("X-Tab"));
        Assert.Empty(result.Cookies);
    }

    [Fact]
    public async Task A_single_value_load_balancer_response_with_two_cookies_fails_loudly_with_the_fix_instead_of_dropping_one()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/two", (HttpContext context) =>
            {
                context.Response.Cookies.Append("a", "1");
                context.Response.Cookies.Append("b", "2");
                return "two";
            });
            endpoints.MapGet("/one", (HttpContext context) =>
            {
                context.Response.Cookies.Append("a", "1");
                return "one";
            });
        });

        var failed = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/two", multiValue: false));
        Assert.True(failed.IsError);
        Assert.Equal("Runtime.MultiValueHeadersRequired", failed.ErrorType);
        string message = failed.Document["errorMessage"]!.GetValue<string>();
        Assert.Contains("2 cookies", message, StringComparison.Ordinal);
        Assert.Contains("lambda.multi_value_headers.enabled", message, StringComparison.Ordinal);

        var one = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/one", multiValue: false));
        Assert.Equal("a=1; path=/", one.Header("Set-Cookie"));

        var multi = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/two", multiValue: true));
        Assert.Equal(["a=1; path=/", "b=2; path=/"], multi.MultiValueHeader("Set-Cookie"));
    }

    [Fact]
    public async Task A_HEAD_response_has_no_body_but_keeps_its_length_and_framing_headers_the_app_set_are_not_passed_on()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapMethods("/page", ["GET", "HEAD"], async (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain";
                context.Response.ContentLength = 5;
                await context.Response.WriteAsync("hello");
            });
            endpoints.MapGet("/chunked", async (HttpContext context) =>
            {
                context.Response.Headers.TransferEncoding = "chunked";
                context.Response.Headers.Connection = "keep-alive";
                context.Response.Headers["Keep-Alive"] = "timeout=5";
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("streamed");
            });
            endpoints.MapGet("/no-content", (HttpContext context) =>
            {
                context.Response.StatusCode = 204;
                context.Response.ContentLength = 0;
                return Task.CompletedTask;
            });
            endpoints.MapGet("/no-content-chunked", (HttpContext context) =>
            {
                context.Response.StatusCode = 204;
                context.Response.Headers.TransferEncoding = "chunked";
                return Task.CompletedTask;
            });
            endpoints.MapGet("/not-modified-with-body", async (HttpContext context) =>
            {
                context.Response.StatusCode = 304;
                string refused = "none";
                try
                {
                    await context.Response.WriteAsync("stale");
                }
                catch (InvalidOperationException exception)
                {
                    refused = exception.Message;
                }

                LastRefusal = refused;
            });
        });

        var get = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/page"));
        Assert.Equal("hello", get.Body);
        Assert.Equal("5", get.Header("Content-Length"));

        var head = await runtime.InvokeAsync(TestEvents.HttpApi("HEAD", "/page"));
        Assert.Equal(200, head.StatusCode);
        Assert.Equal(string.Empty, head.Body);
        Assert.Equal("5", head.Header("Content-Length"));

        var chunked = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/chunked"));
        Assert.Equal("streamed", chunked.Body);
        Assert.Empty(chunked.MultiValueHeader("Transfer-Encoding"));
        Assert.Empty(chunked.MultiValueHeader("Connection"));
        Assert.Empty(chunked.MultiValueHeader("Keep-Alive"));

        var noContent = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/no-content"));
        Assert.Equal(204, noContent.StatusCode);
        Assert.Null(noContent.Header("Content-Length"));
        Assert.Equal(string.Empty, noContent.Body);

        // Kestrel refuses a Transfer-Encoding on a response that cannot have a body: a 500.
        var noContentChunked = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/no-content-chunked"));
        Assert.Equal(500, noContentChunked.StatusCode);
        Assert.Null(noContentChunked.Header("Transfer-Encoding"));

        var notModified = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/not-modified-with-body"));
        Assert.Equal(304, notModified.StatusCode);
        Assert.Equal(string.Empty, notModified.Body);
        Assert.Equal("Writing to the response body is invalid for responses with status code 304.", LastRefusal);
    }

    [Fact]
    public async Task An_app_set_Content_Length_that_the_body_does_not_match_fails_as_on_Kestrel()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints =>
        {
            endpoints.MapGet("/too-many", async (HttpContext context) =>
            {
                context.Response.ContentLength = 3;
                await context.Response.WriteAsync("hello");
            });
            endpoints.MapGet("/none-of-ten", (HttpContext context) =>
            {
                context.Response.ContentLength = 10;
                return Task.CompletedTask;
            });
            endpoints.MapGet("/ok", () => "fine");
        });

        // More bytes than announced throws in the app after the response started: a failed invocation, never a body that
        // disagrees with its Content-Length.
        var tooMany = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/too-many"));
        Assert.True(tooMany.IsError);
        Assert.Equal("Runtime.ResponseAborted", tooMany.ErrorType);

        var none = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/none-of-ten"));
        Assert.Equal(500, none.StatusCode);
        Assert.Equal("0", none.Header("Content-Length"));

        Assert.Equal("fine", (await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/ok"))).Body);
    }

    [Fact]
    public async Task A_long_non_ASCII_path_is_decoded_whole_even_where_a_character_straddles_byte_64()
    {
        // 30 euro signs are 90 escaped bytes; the 22nd spans bytes 63 to 65.
        string euros = new('€', 30);
        string encoded = "/" + string.Concat(Enumerable.Repeat("%E2%82%AC", 30)) + "/é";
        Assert.Equal("/" + euros + "/é", EventPaths.Decode(encoded.Replace("é", "%C3%A9", StringComparison.Ordinal)));
        Assert.Equal("/" + string.Concat(Enumerable.Repeat("%2F", 40)) + "x", EventPaths.Decode("/" + string.Concat(Enumerable.Repeat("%2F", 40)) + "x"));

        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/{**rest}", (HttpRequest request) => request.Path.Value!));

        var functionUrl = await runtime.InvokeAsync(TestEvents.HttpApi("GET", encoded.Replace("é", "%C3%A9", StringComparison.Ordinal), domainName: "abcdefghij.lambda-url.us-east-1.on.aws"));
        Assert.Equal("/" + euros + "/é", functionUrl.Body);

        var rest = await runtime.InvokeAsync(TestEvents.RestApi("GET", encoded.Replace("é", "%C3%A9", StringComparison.Ordinal)));
        Assert.Equal("/" + euros + "/é", rest.Body);
    }

    [Fact]
    public async Task A_configured_base_path_of_a_custom_domain_mapping_moves_to_PathBase()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(
            runtime,
            endpoints => endpoints.MapGet("/{**rest}", (HttpRequest request) => $"{request.PathBase}|{request.Path}"),
            options: options => options.PathBase = "/v1");

        var mapped = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/V1/orders/7", domainName: "api.example.com"));
        Assert.Equal("/V1|/orders/7", mapped.Body);

        var root = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/v1", domainName: "api.example.com"));
        Assert.Equal("/v1|/", root.Body);

        var other = await runtime.InvokeAsync(TestEvents.HttpApi("GET", "/v10/orders", domainName: "api.example.com"));
        Assert.Equal("|/v10/orders", other.Body);

        // A REST API's stage is split off on its own; the mapping then comes off what follows it.
        var rest = await runtime.InvokeAsync(TestEvents.RestApi("GET", "/v1/orders"));
        Assert.Equal("/Prod/v1|/orders", rest.Body);

        var alb = await runtime.InvokeAsync(TestEvents.LoadBalancer("GET", "/v1/orders", multiValue: true));
        Assert.Equal("/v1|/orders", alb.Body);
    }

    private static string? LastRefusal { get; set; }

    private static byte[] Replace(byte[] source, byte[] find, byte[] replacement)
    {
        int at = source.AsSpan().IndexOf(find);
        Assert.True(at >= 0);
        return [.. source.AsSpan(0, at), .. replacement, .. source.AsSpan(at + find.Length)];
    }
}
