using System.Text;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// Real API Gateway, Function URL and ALB events (the shared fixture folder, $SESSIONS_SHARED_DIR/fixtures/lambda-events)
/// map to the right requests. CI runs these after the README test command; a missing variable or folder fails them, and
/// so does a fixture this table does not know.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class ConformanceTests
{
    private const string ValuesHost = "uo9pe23ec6.execute-api.us-east-1.amazonaws.com";

    private static readonly Dictionary<string, Expected> Expectations = new(StringComparer.Ordinal)
    {
        ["cookies-get-multiple-httpapi-v2-request.json"] = new(EventShape.HttpApi, "GET", "", "/api/cookietests/TestCookie3", "")
        {
            Host = ValuesHost,
            RemoteIp = "192.182.149.40",
            Cookies = { ["TestCookie1"] = "TestValue1", ["TestCookie2"] = "TestValue2", ["TestCookie3"] = "TestValue3" },
            Headers = { ["Content-Type"] = "application/json", ["User-Agent"] = "PostmanRuntime/7.20.1", ["Content-Length"] = "0" },
        },
        ["cookies-get-single-httpapi-v2-request.json"] = new(EventShape.HttpApi, "GET", "", "/api/cookietests/TestCookie", "")
        {
            Host = ValuesHost,
            Cookies = { ["TestCookie"] = "TestValue" },
            Headers = { ["Cookie"] = "TestCookie=TestValue" },
        },
        ["minimal-api-post.json"] = new(EventShape.RestApi, "POST", "/Prod", "/test-post-complex", "")
        {
            Host = "ttrvuhs0tf.execute-api.us-west-2.amazonaws.com",
            RemoteIp = "50.35.66.233",
            Body = "{\r\n  \"testString\": \"string\"\r\n}",
            Headers = { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = "50.35.66.233, 64.252.140.140" },
        },
        ["redirect-apigateway-request.json"] = new(EventShape.RestApi, "GET", "/Prod", "/api/redirecttest", "")
        {
            Host = "mokmqjvkge.execute-api.us-west-2.amazonaws.com",
            RemoteIp = "50.35.64.182",
            Headers = { ["Accept-Language"] = "en-US,en;q=0.9", ["upgrade-insecure-requests"] = "1" },
        },
        ["trailing-slash-in-path-httpapi-v2.json"] = new(EventShape.HttpApi, "GET", "/beta", "/foo/", "")
        {
            Host = ValuesHost,
            Headers = { ["Cache-Control"] = "no-cache" },
        },
        ["values-get-all-alb-request.json"] = new(EventShape.LoadBalancer, "GET", "", "/api/resourcepath", "")
        {
            Host = "lambda-846800462-us-east-2.elb.amazonaws.com",
            RemoteIp = "72.21.198.66",
            Headers = { ["Cookie"] = "cookies", ["Content-Type"] = "text/plain", ["Accept"] = "text/html,application/xhtml+xml" },
        },
        ["values-get-all-apigateway-request.json"] = new(EventShape.RestApi, "GET", "", "/api/resourcepath", "")
        {
            Host = "",
            RemoteIp = "127.0.0.1",
        },
        ["values-get-all-httpapi-v2-with-stage.json"] = new(EventShape.HttpApi, "GET", "/beta", "/api/values", "")
        {
            Host = "uzdrcy3wk7.execute-api.us-east-1.amazonaws.com",
            Headers = { ["Sec-Fetch-Mode"] = "navigate" },
        },
        ["values-get-binary-httpapi-v2-request.json"] = new(EventShape.HttpApi, "GET", "", "/api/binary", "")
        {
            Host = ValuesHost,
        },
        ["values-get-querystring-alb-mv-request.json"] = new(EventShape.LoadBalancerMultiValue, "GET", "", "/api/querystring", "?firstName=Lewis&lastName=Meriwether&mv-test=value1&mv-test=value2")
        {
            Host = "lambda-846800462-us-east-2.elb.amazonaws.com",
            RemoteIp = "72.21.198.66",
            Headers = { ["Accept"] = "text/html,application/xhtml+xml", ["Content-Type"] = "application/json" },
        },
        ["values-get-querystring-apigateway-request.json"] = new(EventShape.RestApi, "GET", "", "/api/querystring", "?firstName=Lewis&lastName=Meriwether")
        {
            Host = "",
        },
        ["values-get-querystring-httpapi-v2-mv-request.json"] = new(EventShape.HttpApi, "GET", "", "/api/querystring", "?firstName=Lewis&lastName=Meriwether&mv-test=value1&mv-test=value2")
        {
            Host = ValuesHost,
        },
        ["values-put-binary-alb-request.json"] = new(EventShape.LoadBalancer, "PUT", "", "/api/binary", "")
        {
            Host = "lambda-846800462-us-east-2.elb.amazonaws.com",
            Body = "Greetings, programs!",
            Headers = { ["Content-Type"] = "text/plain", ["Content-Length"] = "20" },
        },
        ["values-put-no-body-request.json"] = new(EventShape.RestApi, "PUT", "/Prod", "/api/values/no-body", "")
        {
            Host = "example.execute-api.us-west-2.amazonaws.com",
            RemoteIp = "50.35.61.49",
            Headers = { ["Content-Type"] = "application/json", ["ContentLength"] = "0" },
        },
        ["values-put-withbody-apigateway-request.json"] = new(EventShape.RestApi, "PUT", "", "/api/bodytests", "")
        {
            Host = "",
            Body = "{\"firstName\":\"Smith\",\"lastName\": \"Agent\"}",
            Headers = { ["Content-Type"] = "application/json" },
        },
        ["values-put-withbody-httpapi-v2-request.json"] = new(EventShape.HttpApi, "PUT", "", "/api/bodytests", "")
        {
            Host = ValuesHost,
            Body = "{\"firstName\":\"Smith\",\"lastName\": \"Agent\"}",
            Headers = { ["Content-Type"] = "application/json" },
        },
    };

    public static TheoryData<string> Fixtures => new(Expectations.Keys.Order(StringComparer.Ordinal));

    private static string FixtureFolder
    {
        get
        {
            string? shared = Environment.GetEnvironmentVariable("SESSIONS_SHARED_DIR");
            Assert.False(string.IsNullOrWhiteSpace(shared), "SESSIONS_SHARED_DIR is not set; CI points it at ../shared (see .ci/run).");
            string folder = Path.Combine(shared, "fixtures", "lambda-events");
            Assert.True(Directory.Exists(folder), $"The shared Lambda event folder {folder} does not exist.");
            return folder;
        }
    }

    [Fact]
    public void Every_shared_event_has_an_expected_mapping()
    {
        var files = Directory.GetFiles(FixtureFolder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(files);
        Assert.Equal(Expectations.Keys.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task A_shared_event_maps_to_the_request_it_describes(string file)
    {
        var expected = Expectations[file];
        using var mapped = MappedEvent.FromFile(Path.Combine(FixtureFolder, file));
        var request = mapped.Request;

        Assert.Equal(expected.Shape, mapped.Shape);
        Assert.Equal(expected.Method, request.Method);
        Assert.Equal(expected.PathBase, request.PathBase.Value ?? string.Empty);
        Assert.Equal(expected.Path, request.Path.Value);
        Assert.Equal(expected.Query, request.QueryString.Value ?? string.Empty);
        Assert.Equal("https", request.Scheme);
        Assert.Equal(expected.Host, request.Host.Value ?? string.Empty);
        if (expected.RemoteIp is not null)
        {
            Assert.Equal(expected.RemoteIp, mapped.Context.Connection.RemoteIpAddress?.ToString());
        }

        foreach (var (name, value) in expected.Headers)
        {
            Assert.Equal(value, request.Headers[name].ToString());
        }

        Assert.Equal(expected.Cookies.Count, request.Cookies.Count(cookie => cookie.Key.StartsWith("TestCookie", StringComparison.Ordinal)));
        foreach (var (name, value) in expected.Cookies)
        {
            Assert.Equal(value, request.Cookies[name]);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        Assert.Equal(expected.Body, await reader.ReadToEndAsync());
        if (expected.Body.Length > 0)
        {
            Assert.Equal(Encoding.UTF8.GetByteCount(expected.Body), request.ContentLength);
        }

        if (file == "values-get-querystring-alb-mv-request.json" || file.Contains("querystring-httpapi", StringComparison.Ordinal))
        {
            Assert.Equal(["value1", "value2"], request.Query["mv-test"].Select(value => value ?? string.Empty).ToArray());
        }
    }

    private sealed record Expected(EventShape Shape, string Method, string PathBase, string Path, string Query)
    {
        public required string Host { get; init; }

        public string? RemoteIp { get; init; }

        public string Body { get; init; } = string.Empty;

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);
    }
}
