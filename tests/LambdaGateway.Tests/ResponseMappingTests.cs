using System.Net;
using System.Text.Json.Nodes;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>How the gateway turns the function's posted response into the HTTP response, as API Gateway does per format.</summary>
public sealed class ResponseMappingTests
{
    [Fact]
    public async Task An_HTTP_API_response_sends_status_headers_every_cookie_and_the_body()
    {
        using var response = await RespondAsync(EventFormat.HttpApi, """
            {"statusCode":201,"headers":{"content-type":"text/plain; charset=utf-8","x-answer":"42","cache-control":"no-store"},
             "cookies":["session=abc; path=/; httponly","theme=dark; path=/"],"body":"created","isBase64Encoded":false}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new[] { "session=abc; path=/; httponly", "theme=dark; path=/" }, response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("42", response.Headers.GetValues("x-answer").Single());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("created", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_REST_API_response_merges_headers_and_multi_value_headers_and_ignores_cookies()
    {
        using var response = await RespondAsync(EventFormat.RestApi, """
            {"statusCode":302,"headers":{"Location":"/","Set-Cookie":"replaced=1"},
             "multiValueHeaders":{"Set-Cookie":["session=abc; path=/","theme=dark; path=/"],"X-Many":["1","2"]},
             "cookies":["ignored=1"],"body":""}
            """);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Equal(new[] { "session=abc; path=/", "theme=dark; path=/" }, response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(new[] { "1", "2" }, response.Headers.GetValues("X-Many"));
    }

    [Theory]
    [InlineData("HttpApi")]
    [InlineData("RestApi")]
    public async Task A_base64_body_arrives_as_the_exact_bytes(string formatName)
    {
        var format = Enum.Parse<EventFormat>(formatName);
        byte[] bytes = [0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF];
        using var response = await RespondAsync(format, new JsonObject
        {
            ["statusCode"] = 200,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/octet-stream" },
            ["body"] = Convert.ToBase64String(bytes),
            ["isBase64Encoded"] = true,
        }.ToJsonString());

        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task An_HTTP_API_response_without_statusCode_is_inferred_as_a_200_JSON_body()
    {
        using var response = await RespondAsync(EventFormat.HttpApi, """{"hello":"world"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"hello":"world"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Multi_value_headers_are_ignored_in_HTTP_API_responses_and_the_log_says_so()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var response = await RespondAsync(gateway, """{"statusCode":200,"multiValueHeaders":{"X-Many":["1","2"]},"body":"ok"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Many"));
        Assert.Contains("multiValueHeaders, which HTTP API payload 2.0 ignores", gateway.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HttpApi", "not json", "not JSON")]
    [InlineData("RestApi", """{"body":"no status"}""", "needs an object with a statusCode")]
    [InlineData("HttpApi", """{"statusCode":700}""", "statusCode 700 is not an HTTP status")]
    [InlineData("HttpApi", """{"statusCode":"abc"}""", "is not an HTTP status")]
    [InlineData("RestApi", """{"statusCode":200,"body":"@@@","isBase64Encoded":true}""", "not valid base64")]
    [InlineData("HttpApi", """{"statusCode":200,"body":{"an":"object"}}""", "body is a JSON object, not a string")]
    [InlineData("RestApi", """{"statusCode":200,"headers":["a"]}""", "headers is a JSON array, not an object")]
    [InlineData("RestApi", """{"statusCode":200,"multiValueHeaders":{"X-A":"1"}}""", "multiValueHeaders.X-A is a JSON string, not an array")]
    [InlineData("HttpApi", """{"statusCode":200,"headers":{"bad name":"1"}}""", "not a valid HTTP token")]
    [InlineData("HttpApi", """{"statusCode":200,"headers":{"X-A":"1\r\nSet-Cookie: evil=1"}}""", "control or non-ASCII character")]
    [InlineData("HttpApi", """{"statusCode":200,"cookies":[{"name":"a"}]}""", "cookies has a value that is a JSON object")]
    public async Task A_response_API_Gateway_would_refuse_gives_a_502_that_says_why(string formatName, string payload, string reason)
    {
        var format = Enum.Parse<EventFormat>(formatName);
        using var response = await RespondAsync(format, payload);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("The function's response is not valid in ", (string?)error["message"], StringComparison.Ordinal);
        Assert.Contains(reason, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_204_and_a_HEAD_response_carry_no_body()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var noContent = await RespondAsync(gateway, """{"statusCode":204,"body":"dropped"}""");
        using var head = await RespondAsync(gateway, """{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"dropped"}""", HttpMethod.Head);

        Assert.Equal(HttpStatusCode.NoContent, noContent.StatusCode);
        Assert.Empty(await noContent.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private static async Task<HttpResponseMessage> RespondAsync(EventFormat format, string payload)
    {
        await using var gateway = await TestGateway.StartAsync(format);
        return await RespondAsync(gateway, payload);
    }

    private static async Task<HttpResponseMessage> RespondAsync(TestGateway gateway, string payload, HttpMethod? method = null)
    {
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/resource");
        var sent = gateway.Client.SendAsync(request);
        var invocation = await runtime.NextAsync();
        using var accepted = await runtime.RespondAsync(invocation.RequestId, payload);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var response = await sent;
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
