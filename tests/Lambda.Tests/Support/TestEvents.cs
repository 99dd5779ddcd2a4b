using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>Builds events in the documented formats of API Gateway (HTTP API 2.0, REST), Function URLs and ALB.</summary>
internal static class TestEvents
{
    /// <summary>An HTTP API payload format 2.0 event (a Function URL when <paramref name="domainName"/> is a lambda-url domain).</summary>
    public static JsonObject HttpApi(
        string method,
        string rawPath,
        string rawQueryString = "",
        IEnumerable<string>? cookies = null,
        string? body = null,
        string? contentType = null,
        bool base64 = false,
        string domainName = "r3pmxmplak.execute-api.us-east-1.amazonaws.com")
    {
        var headers = new JsonObject
        {
            ["host"] = domainName,
            ["x-forwarded-proto"] = "https",
            ["x-forwarded-port"] = "443",
            ["x-forwarded-for"] = "198.51.100.20",
            ["user-agent"] = "lambda-tests",
        };
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        var @event = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = rawQueryString,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = domainName.Split('.')[0],
                ["domainName"] = domainName,
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = rawPath,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = "198.51.100.20",
                    ["userAgent"] = "lambda-tests",
                },
                ["requestId"] = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["timeEpoch"] = 1_700_000_000_000,
            },
            ["isBase64Encoded"] = base64,
        };
        if (cookies is not null && cookies.Any())
        {
            @event["cookies"] = new JsonArray(cookies.Select(c => (JsonNode)c).ToArray());
        }

        if (body is not null)
        {
            @event["body"] = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body;
        }

        return @event;
    }

    /// <summary>An API Gateway REST API proxy event on stage <c>Prod</c>.</summary>
    public static JsonObject RestApi(string method, string path, IEnumerable<string>? cookies = null, string? body = null, string? contentType = null)
    {
        var multiValueHeaders = new JsonObject
        {
            ["Host"] = new JsonArray("abcdef1234.execute-api.us-east-1.amazonaws.com"),
            ["X-Forwarded-Proto"] = new JsonArray("https"),
            ["X-Forwarded-For"] = new JsonArray("203.0.113.10"),
        };
        if (cookies is not null && cookies.Any())
        {
            multiValueHeaders["Cookie"] = new JsonArray(string.Join("; ", cookies));
        }

        if (contentType is not null)
        {
            multiValueHeaders["Content-Type"] = new JsonArray(contentType);
        }

        return new JsonObject
        {
            ["resource"] = "/{proxy+}",
            ["path"] = path,
            ["httpMethod"] = method,
            ["multiValueHeaders"] = multiValueHeaders,
            ["multiValueQueryStringParameters"] = null,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abcdef1234",
                ["httpMethod"] = method,
                ["path"] = "/Prod" + path,
                ["protocol"] = "HTTP/1.1",
                ["stage"] = "Prod",
                ["requestId"] = "e0a1c3b2-1111-2222-3333-444455556666",
                ["identity"] = new JsonObject { ["sourceIp"] = "203.0.113.10" },
                ["domainName"] = "abcdef1234.execute-api.us-east-1.amazonaws.com",
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        };
    }

    /// <summary>An Application Load Balancer event, in the single- or multi-value header style of its target group.</summary>
    public static JsonObject LoadBalancer(string method, string path, bool multiValue, IEnumerable<string>? cookies = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "login-demo-123456.us-east-1.elb.amazonaws.com",
            ["x-forwarded-proto"] = "https",
            ["x-forwarded-port"] = "443",
            ["x-forwarded-for"] = "192.0.2.44",
        };
        if (cookies is not null && cookies.Any())
        {
            headers["cookie"] = string.Join("; ", cookies);
        }

        var @event = new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["elb"] = new JsonObject { ["targetGroupArn"] = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/login-demo/0123456789abcdef" },
            },
            ["httpMethod"] = method,
            ["path"] = path,
            ["body"] = string.Empty,
            ["isBase64Encoded"] = false,
        };
        if (multiValue)
        {
            @event["multiValueQueryStringParameters"] = new JsonObject();
            @event["multiValueHeaders"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)new JsonArray(h.Value))));
        }
        else
        {
            @event["queryStringParameters"] = new JsonObject();
            @event["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
        }

        return @event;
    }
}
