using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>The events the gateway sends with <c>--event v2</c>, as the app's runtime receives them from GET next.</summary>
public sealed class HttpApiEventTests
{
    [Fact]
    public async Task A_request_becomes_an_HTTP_API_2_0_event_of_the_default_route()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi, timeout: TimeSpan.FromSeconds(45));
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = RawHttp.SendAsync(gateway.Address, """
            GET /caf%C3%A9/a%20b?x=1&x=2&y=%C3%A9 HTTP/1.1
            Cookie: a=1; b=2
            X-Custom: one
            X-Custom: two
            X-Forwarded-Proto: https
            User-Agent: gateway-tests
            """);
        var invocation = await runtime.NextAsync();
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await runtime.RespondAsync(invocation.RequestId, new JsonObject { ["statusCode"] = 204 });
        Assert.Equal(204, await sent);

        var e = invocation.Event;
        Assert.Equal("2.0", (string?)e["version"]);
        Assert.Equal("$default", (string?)e["routeKey"]);
        Assert.Equal("/café/a b", (string?)e["rawPath"]);
        Assert.Equal("x=1&x=2&y=%C3%A9", (string?)e["rawQueryString"]);
        Assert.Equal(new[] { "a=1", "b=2" }, e["cookies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("1,2", (string?)e["queryStringParameters"]!["x"]);
        Assert.Equal("é", (string?)e["queryStringParameters"]!["y"]);

        var headers = e["headers"]!.AsObject();
        Assert.All(headers, h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
        Assert.False(headers.ContainsKey("cookie"));
        Assert.Equal("one,two", (string?)headers["x-custom"]);
        Assert.Equal("http", (string?)headers["x-forwarded-proto"]);
        Assert.Equal(gateway.Address.Port.ToString(CultureInfo.InvariantCulture), (string?)headers["x-forwarded-port"]);
        Assert.Equal("127.0.0.1", (string?)headers["x-forwarded-for"]);
        Assert.Equal(gateway.Address.Authority, (string?)headers["host"]);

        var context = e["requestContext"]!;
        Assert.Equal("$default", (string?)context["stage"]);
        Assert.Equal("127.0.0.1", (string?)context["domainName"]);
        Assert.Equal("GET", (string?)context["http"]!["method"]);
        Assert.Equal("/café/a b", (string?)context["http"]!["path"]);
        Assert.Equal("HTTP/1.1", (string?)context["http"]!["protocol"]);
        Assert.Equal("127.0.0.1", (string?)context["http"]!["sourceIp"]);
        Assert.Equal("gateway-tests", (string?)context["http"]!["userAgent"]);
        Assert.InRange((long)context["timeEpoch"]!, before - 1000, after);
        Assert.Null(e["body"]);
        Assert.False((bool)e["isBase64Encoded"]!);

        // The Runtime API's invocation headers.
        Assert.True(Guid.TryParse(invocation.RequestId, out _), invocation.RequestId);
        Assert.InRange(invocation.DeadlineMs, before + 45_000, after + 45_000);
        Assert.StartsWith("arn:aws:lambda:", invocation.FunctionArn, StringComparison.Ordinal);
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", invocation.TraceId);
    }

    [Fact]
    public async Task Form_posts_arrive_base64_encoded_and_JSON_as_text()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        byte[] form = "email=a%40b.example&password=x"u8.ToArray();
        var formSent = RawHttp.SendAsync(gateway.Address, "POST /login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded", form);
        var formEvent = await AnswerAsync(runtime);
        await formSent;
        var json = gateway.Client.PostAsync("/api", new StringContent("{\"name\":\"é\"}", Encoding.UTF8, "application/json"));
        var jsonEvent = await AnswerAsync(runtime);
        (await json).Dispose();

        Assert.True((bool)formEvent["isBase64Encoded"]!);
        Assert.Equal(form, Convert.FromBase64String((string)formEvent["body"]!));
        Assert.Equal("POST", (string?)formEvent["requestContext"]!["http"]!["method"]);
        Assert.False((bool)jsonEvent["isBase64Encoded"]!);
        Assert.Equal("{\"name\":\"é\"}", (string?)jsonEvent["body"]);
    }

    private static async Task<JsonObject> AnswerAsync(RuntimePlayer runtime)
    {
        var invocation = await runtime.NextAsync();
        await runtime.RespondAsync(invocation.RequestId, new JsonObject { ["statusCode"] = 200 });
        return invocation.Event;
    }
}
