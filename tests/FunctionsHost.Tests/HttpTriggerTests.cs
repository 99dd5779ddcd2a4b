using System.Diagnostics;
using System.Net;
using System.Text;

namespace SessionsServerless.FunctionsHost.Tests;

[Collection(WorkerAppCollection.Name)]
public sealed class HttpTriggerTests(WorkerAppFixture fixture)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = fixture.Host.BaseAddress,
        Timeout = TimeSpan.FromSeconds(100),
    };

    [Fact]
    public async Task A_request_reaches_the_function_with_its_route_query_headers_and_body_and_its_response_comes_back()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "echo/alice?q=search%20me")
        {
            Content = new StringContent("hello body", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Test-Header", "from the browser");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("POST", Header(response, "X-Echo-Method"));
        Assert.Equal("alice", Header(response, "X-Echo-Name"));
        Assert.Equal("from the browser", Header(response, "X-Echo-Header"));
        Assert.Equal("search me", Header(response, "X-Echo-Query"));
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("10:hello body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_set_cookie_the_function_writes_reaches_the_browser()
    {
        using var response = await _client.GetAsync("echo/cookies");

        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies));
        Assert.Equal(["first=one; path=/; httponly", "second=two; path=/echo"], cookies.Order());
    }

    [Fact]
    public async Task The_invocation_carries_the_callers_trace_context_and_the_worker_sees_the_invocation_id_of_the_grpc_request()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "echo/traced");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        request.Headers.Add("tracestate", "vendor=value");

        using var response = await _client.SendAsync(request);

        string invocationId = Header(response, "X-Echo-Invocation");
        var invocation = Assert.Single(fixture.Host.Invocations, i => i.InvocationId == invocationId);
        Assert.Equal("Echo", invocation.FunctionName);
        Assert.True(invocation.Succeeded);
        Assert.Equal(invocation.TraceParent, Header(response, "X-Echo-TraceParent"));
        Assert.StartsWith($"00-{traceId}-", invocation.TraceParent, StringComparison.Ordinal);
        Assert.Equal("vendor=value", Header(response, "X-Echo-TraceState"));
        Assert.Contains(invocation.Logs, l => l.Message == "Echo called for traced");
    }

    [Fact]
    public async Task A_function_that_throws_gives_500_and_its_failure_is_recorded()
    {
        using var response = await _client.GetAsync("throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var invocation = fixture.Host.Invocations.Last(i => i.FunctionName == "Throw");
        Assert.False(invocation.Succeeded);
        Assert.Contains("The fixture function failed on purpose.", invocation.ExceptionMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "nothing-here")]
    [InlineData("GET", "api/echo/alice")]
    [InlineData("PUT", "echo/alice")]
    [InlineData("POST", "throw")]
    public async Task A_request_no_function_takes_gives_404_from_the_host(string method, string path)
    {
        int before = fixture.Host.Invocations.Count;

        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, fixture.Host.Invocations.Count);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");
}
