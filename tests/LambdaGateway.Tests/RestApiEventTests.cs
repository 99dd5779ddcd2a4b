using System.Text.Json.Nodes;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>The events the gateway sends with <c>--event v1</c>: REST API proxy events of <c>ANY /{proxy+}</c> and <c>ANY /</c>.</summary>
public sealed class RestApiEventTests
{
    [Fact]
    public async Task A_request_becomes_a_REST_API_proxy_event_with_single_and_multi_value_fields()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.RestApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = RawHttp.SendAsync(gateway.Address, """
            GET /caf%C3%A9/a%20b?x=1&x=2&y=%C3%A9 HTTP/1.1
            Cookie: a=1; b=2
            X-Custom: one
            X-Custom: two
            """);
        var e = await AnswerAsync(runtime);
        await sent;

        Assert.Equal("/{proxy+}", (string?)e["resource"]);
        Assert.Equal("/caf%C3%A9/a%20b", (string?)e["path"]);
        Assert.Equal("GET", (string?)e["httpMethod"]);
        Assert.Equal("café/a b", (string?)e["pathParameters"]!["proxy"]);
        Assert.Equal("two", (string?)e["headers"]!["X-Custom"]);
        Assert.Equal(new[] { "one", "two" }, e["multiValueHeaders"]!["X-Custom"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("a=1; b=2", (string?)e["headers"]!["Cookie"]);
        Assert.Equal("http", (string?)e["headers"]!["X-Forwarded-Proto"]);
        Assert.Equal("2", (string?)e["queryStringParameters"]!["x"]);
        Assert.Equal(new[] { "1", "2" }, e["multiValueQueryStringParameters"]!["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("é", (string?)e["queryStringParameters"]!["y"]);

        var context = e["requestContext"]!;
        Assert.Equal("/caf%C3%A9/a%20b", (string?)context["path"]);
        Assert.Equal("local", (string?)context["stage"]);
        Assert.Equal("/{proxy+}", (string?)context["resourcePath"]);
        Assert.Equal("127.0.0.1", (string?)context["identity"]!["sourceIp"]);
        Assert.Equal("HTTP/1.1", (string?)context["protocol"]);
        Assert.Null(e["body"]);
        Assert.False((bool)e["isBase64Encoded"]!);
    }

    [Fact]
    public async Task The_root_has_no_proxy_parameter_and_no_query_and_text_bodies_stay_text()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.RestApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        byte[] form = "email=a%40b.example&password=x"u8.ToArray();
        var formSent = RawHttp.SendAsync(gateway.Address, "POST / HTTP/1.1\nContent-Type: application/x-www-form-urlencoded", form);
        var root = await AnswerAsync(runtime);
        await formSent;
        byte[] binary = [0, 1, 2, 0xFE, 0xFF];
        var binarySent = RawHttp.SendAsync(gateway.Address, "PUT /upload HTTP/1.1\nContent-Type: application/octet-stream", binary);
        var upload = await AnswerAsync(runtime);
        await binarySent;

        Assert.Equal("/", (string?)root["resource"]);
        Assert.Null(root["pathParameters"]);
        Assert.Null(root["queryStringParameters"]);
        Assert.Null(root["multiValueQueryStringParameters"]);
        Assert.False((bool)root["isBase64Encoded"]!);
        Assert.Equal("email=a%40b.example&password=x", (string?)root["body"]);
        Assert.True((bool)upload["isBase64Encoded"]!);
        Assert.Equal(binary, Convert.FromBase64String((string)upload["body"]!));
    }

    private static async Task<JsonObject> AnswerAsync(RuntimePlayer runtime)
    {
        var invocation = await runtime.NextAsync();
        await runtime.RespondAsync(invocation.RequestId, new JsonObject { ["statusCode"] = 200 });
        return invocation.Event;
    }
}
