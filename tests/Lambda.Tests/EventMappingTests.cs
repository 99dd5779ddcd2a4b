using System.Text;
using Microsoft.Extensions.Primitives;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// Every event shape, from this project's own fixtures (written from the documented formats), mapped to the request the
/// app sees: method, base path and path with the source's encoding rules, query strings and headers with several values,
/// cookies both ways of sending them, base64 bodies, client address, scheme and host.
/// </summary>
public sealed class EventMappingTests
{
    [Fact]
    public void A_REST_API_event_keeps_its_encoded_slash_decodes_the_rest_and_puts_the_stage_in_PathBase()
    {
        using var mapped = MappedEvent.FromTestFixture("rest-api-get-encoded-path.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.RestApi, mapped.Shape);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/Prod", request.PathBase.Value);
        Assert.Equal("/reports/2024%2F06/café menu", request.Path.Value);
        Assert.Equal(["a b", "c&d"], All(request.Query["tag"]));
        Assert.Equal("100%", request.Query["q"].ToString());
        Assert.Equal(["text/html", "application/json"], All(request.Headers.Accept));
        Assert.Equal(["first", "second"], All(request.Headers["X-Trace"]));
        Assert.Equal("Fe26.2**abc", request.Cookies["session"]);
        Assert.Equal("dark", request.Cookies["theme"]);
        Assert.Equal("203.0.113.7", mapped.Context.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("https", request.Scheme);
        Assert.Equal("a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com", request.Host.Value);
        Assert.Equal(443, mapped.Context.Connection.LocalPort);
        Assert.Empty(mapped.Body);
        Assert.Null(request.ContentLength);
    }

    [Fact]
    public void A_REST_API_event_on_a_custom_domain_takes_the_base_path_mapping_as_PathBase_and_decodes_a_base64_body()
    {
        using var mapped = MappedEvent.FromTestFixture("rest-api-custom-domain-post-base64.json");
        var request = mapped.Request;

        Assert.Equal("POST", request.Method);
        Assert.Equal("/files", request.PathBase.Value);
        Assert.Equal("/upload", request.Path.Value);
        Assert.Equal("https://api.example.com/files/upload", $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0xFD, 0xFE, 0xFF }, mapped.Body);
        Assert.Equal(6, request.ContentLength);
        Assert.Equal("application/octet-stream", request.ContentType);
        Assert.Equal("2001:db8::1", mapped.Context.Connection.RemoteIpAddress!.ToString());
        Assert.False(request.QueryString.HasValue);
    }

    [Fact]
    public void An_HTTP_API_event_splits_off_its_stage_keeps_the_raw_query_and_joins_the_cookies_list()
    {
        using var mapped = MappedEvent.FromTestFixture("http-api-v2-stage-cookies.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.HttpApi, mapped.Shape);
        Assert.Equal("/beta", request.PathBase.Value);
        Assert.Equal("/files/my report.pdf", request.Path.Value);
        Assert.Equal("?a=1&a=2&b=x%20y", request.QueryString.Value);
        Assert.Equal(["1", "2"], All(request.Query["a"]));
        Assert.Equal("x y", request.Query["b"].ToString());
        Assert.Equal("session=Fe26.2**xyz; theme=dark; lang=en", mapped.Header("Cookie"));
        Assert.Equal(3, request.Cookies.Count);
        Assert.Equal("en", request.Cookies["lang"]);
        Assert.Equal("text/html,application/json", mapped.Header("Accept"));
        Assert.Equal("one,two", mapped.Header("x-custom"));
        Assert.Equal("198.51.100.4", mapped.Context.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("q1w2e3r4t5.execute-api.us-east-1.amazonaws.com", request.Host.Value);
    }

    [Fact]
    public async Task An_HTTP_API_form_post_with_a_base64_body_reads_as_a_form_with_its_real_length()
    {
        using var mapped = MappedEvent.FromTestFixture("http-api-v2-post-form-base64.json");
        var request = mapped.Request;

        Assert.Equal("POST", request.Method);
        Assert.Equal(40, request.ContentLength);
        var form = await request.ReadFormAsync();
        Assert.Equal("ada@example.com", form["email"].ToString());
        Assert.Equal("correct", form["password"].ToString());
    }

    [Fact]
    public void A_Function_URL_event_decodes_its_encoded_raw_path_except_the_slash()
    {
        using var mapped = MappedEvent.FromTestFixture("function-url-encoded-path.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.HttpApi, mapped.Shape);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal(string.Empty, request.PathBase.Value);
        Assert.Equal("/café/a%2Fb/100%", request.Path.Value);
        Assert.Equal("/home", request.Query["next"].ToString());
        Assert.Equal("✓", request.Query["x"].ToString());
        Assert.Equal("Fe26.2**fn", request.Cookies["session"]);
        Assert.Equal("yes", request.Cookies["consent"]);
        Assert.Equal("abcdefghij0123456789klmnop.lambda-url.us-east-1.on.aws", request.Host.Value);
    }

    [Fact]
    public void A_single_value_ALB_event_keeps_the_query_as_the_client_encoded_it_and_takes_the_address_the_balancer_saw()
    {
        using var mapped = MappedEvent.FromTestFixture("alb-single-value.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.LoadBalancer, mapped.Shape);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/items/Jürgen", request.Path.Value);
        Assert.Equal("Jürgen", request.Query["name"].ToString());
        Assert.Equal("a b", request.Query["q"].ToString());
        Assert.Equal("light", request.Cookies["theme"]);
        Assert.Equal("203.0.113.9", mapped.Context.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("http", request.Scheme);
        Assert.Equal(80, mapped.Context.Connection.LocalPort);
        Assert.Equal("{\"name\":\"Jürgen\"}", Encoding.UTF8.GetString(mapped.Body));
        Assert.Equal(Encoding.UTF8.GetByteCount("{\"name\":\"Jürgen\"}"), request.ContentLength);
    }

    [Fact]
    public void A_multi_value_ALB_event_keeps_every_header_and_query_value_and_both_cookie_headers()
    {
        using var mapped = MappedEvent.FromTestFixture("alb-multi-value.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.LoadBalancerMultiValue, mapped.Shape);
        Assert.Equal(["1", "2"], All(request.Query["id"]));
        Assert.Equal("x y", request.Query["tag"].ToString());
        Assert.Equal(["text/html", "application/xhtml+xml"], All(request.Headers.Accept));
        Assert.Equal("Fe26.2**mv", request.Cookies["session"]);
        Assert.Equal("dark", request.Cookies["theme"]);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, mapped.Body);
        Assert.Equal("192.0.2.77", mapped.Context.Connection.RemoteIpAddress!.ToString());
    }

    [Fact]
    public void An_HTTP_API_payload_1_0_event_takes_its_decoded_path_and_splits_off_the_stage()
    {
        using var mapped = MappedEvent.FromTestFixture("http-api-v1-payload.json");
        var request = mapped.Request;

        Assert.Equal(EventShape.RestApi, mapped.Shape);
        Assert.Equal("/staging", request.PathBase.Value);
        Assert.Equal("/search/new york", request.Path.Value);
        Assert.Equal("?city=new%20york", request.QueryString.Value);
        Assert.Equal("/staging/search/new%20york?city=new%20york", mapped.Context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget);
    }

    private static string[] All(StringValues values) => [.. values.Select(value => value ?? string.Empty)];

    [Theory]
    [InlineData("/plain", "/plain")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/a%2Fb%2fc", "/a%2Fb%2fc")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/%F0%9F%94%90", "/🔐")]
    [InlineData("/bad%FFutf8%C3", "/bad%FFutf8%C3")]
    [InlineData("/100%", "/100%")]
    [InlineData("/50%zz", "/50%zz")]
    [InlineData("/a+b", "/a+b")]
    public void Paths_decode_as_Kestrel_decodes_them(string encoded, string decoded) =>
        Assert.Equal(decoded, EventPaths.Decode(encoded));

    [Theory]
    [InlineData("/my file", "/my%20file")]
    [InlineData("/100%", "/100%25")]
    [InlineData("/q?x#y", "/q%3Fx%23y")]
    [InlineData("/café", "/caf%C3%A9")]
    [InlineData("/a-b_c.d~e!$&'()*+,;=:@", "/a-b_c.d~e!$&'()*+,;=:@")]
    public void Decoded_paths_are_encoded_again_for_the_request_target(string decoded, string encoded) =>
        Assert.Equal(encoded, EventPaths.Encode(decoded));

    [Theory]
    [InlineData("/Prod/items", "/items", "/Prod")]
    [InlineData("/Prod/", "/", "/Prod")]
    [InlineData("/Prod", "/", "/Prod")]
    [InlineData("/api/v2/items", "/items", "/api/v2")]
    [InlineData("/items", "/items", "")]
    [InlineData("/other/path", "/items", "")]
    [InlineData("/Prod/other/path", "/items", "/Prod")]
    [InlineData("/Production/items2", "/items", "")]
    [InlineData(null, "/items", "")]
    public void A_REST_API_base_path_is_what_the_full_path_has_in_front_of_the_resource_path(string? fullPath, string path, string expected) =>
        Assert.Equal(expected, EventPaths.BaseOf(fullPath, path, "Prod"));

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"GET /\"")]
    [InlineData("{}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:s3\"}]}")]
    [InlineData("{\"version\":\"2.0\",\"requestContext\":{\"http\":{}},\"rawPath\":\"/\"}")]
    [InlineData("{\"httpMethod\":\"GET\",\"path\":\"/\",\"requestContext\":{},\"headers\":[\"not\",\"an\",\"object\"]}")]
    [InlineData("{\"httpMethod\":\"GET\",\"path\":\"/\",\"requestContext\":{},\"multiValueHeaders\":{\"Accept\":\"not-a-list\"}}")]
    [InlineData("{\"httpMethod\":\"GET\",\"path\":42,\"requestContext\":{}}")]
    [InlineData("{\"httpMethod\":\"GET\",\"path\":\"/\",\"requestContext\":{\"elb\":{}},\"body\":\"***\",\"isBase64Encoded\":true}")]
    public void Payloads_that_are_not_HTTP_events_are_refused_with_a_reason(string payload)
    {
        var exception = Assert.Throws<LambdaEventException>(() => LambdaEventReader.Read(Encoding.UTF8.GetBytes(payload)));
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }
}
