using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The PurgeExpiredSessions timer against the published demo with the memory store: the host's invocation payload in,
/// the documented response payload out, expired sessions gone, live ones kept, and the endpoint out of reach of
/// forwarded public requests.
/// </summary>
[Collection(PublishedDemoCollection.Name)]
public sealed class PurgeTimerTests
{
    private static readonly Uri PublicAddress = new("https://sessions-demo.azurewebsites.net/");

    /// <summary>The memory store with a one-second expiry and no sweep on writes: only the timer removes expired sessions.</summary>
    private static readonly Dictionary<string, string> ExpiringSessions = new()
    {
        ["Sessions__Store"] = "memory",
        ["Sessions__ExpireAfterSeconds"] = "1",
        ["Sessions__Memory__SweepInterval"] = "01:00:00",
    };

    private readonly PublishedDemo _demo;

    public PurgeTimerTests(PublishedDemo demo)
    {
        _demo = demo;
    }

    [Fact]
    public async Task The_timer_purges_expired_sessions_and_answers_with_Outputs_Logs_and_ReturnValue()
    {
        await using var app = await _demo.StartAsync(ExpiringSessions);
        var browsers = Enumerable.Range(0, 3).Select(_ => new PublicBrowser(app.Host, PublicAddress, RequestOrigin.Azure)).ToList();
        foreach (var browser in browsers)
        {
            Assert.Equal("You have visited this page 1 times", await browser.GetPageAsync("/counter"));
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // Past the one-second expiry of all three.

        using (var response = await app.Host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(["Logs", "Outputs", "ReturnValue"], result.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(3, result["Outputs"]!["purged"]!.GetValue<int>());
            string log = Assert.Single(result["Logs"]!.AsArray())!.GetValue<string>();
            Assert.Matches(new Regex(@"^Purged 3 expired sessions from the memory store in \d+ ms\.$"), log);
            Assert.Equal(log, result["ReturnValue"]!.GetValue<string>());
        }

        Assert.Contains("Purged 3 expired sessions", app.Output, StringComparison.Ordinal);
        Assert.Equal(0, await PurgedCountAsync(app.Host));

        // The purged sessions are gone: their cookies start over.
        Assert.Equal("You have visited this page 1 times", await browsers[0].GetPageAsync("/counter"));
    }

    [Fact]
    public async Task Live_sessions_survive_the_purge()
    {
        await using var app = await _demo.StartAsync(new Dictionary<string, string> { ["Sessions__Store"] = "memory" });
        var browser = new PublicBrowser(app.Host, PublicAddress, RequestOrigin.Azure);
        Assert.Equal("You have visited this page 1 times", await browser.GetPageAsync("/counter"));

        Assert.Equal(0, await PurgedCountAsync(app.Host));

        Assert.Equal("You have visited this page 2 times", await browser.GetPageAsync("/counter"));
    }

    [Fact]
    public async Task Forwarded_public_requests_cannot_trigger_the_purge()
    {
        await using var app = await _demo.StartAsync(ExpiringSessions);
        Assert.Equal("You have visited this page 1 times", await new PublicBrowser(app.Host, PublicAddress, RequestOrigin.Azure).GetPageAsync("/counter"));
        await Task.Delay(TimeSpan.FromSeconds(2));

        foreach (var (address, origin) in new[] { (PublicAddress, RequestOrigin.Azure), (new Uri("http://localhost:7071/"), RequestOrigin.LocalFuncStart) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/PurgeExpiredSessions"))
            {
                Content = new StringContent(FunctionsHost.TimerPayload("PurgeExpiredSessions"), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            using var response = await app.Host.ForwardAsync(request, origin);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // The expired session was still there for the host's own invocation.
        Assert.Equal(1, await PurgedCountAsync(app.Host));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071/PurgeExpiredSessions")]
    [InlineData("http://127.0.0.1/purgeexpiredsessions/")]
    [InlineData("http://[::1]:7071/PurgeExpiredSessions")]
    [InlineData("http://127.0.0.1:7071/Purge%45xpiredSessions")]
    public async Task A_public_request_that_names_a_loopback_host_gets_the_hosts_404_without_reaching_the_app(string url)
    {
        // Where no front end adds X-Forwarded-For (func start in a container, the host image on Kubernetes), a client can
        // send any Host header: with a loopback one the request looks like the host's own invocation to the app.
        await using var app = await _demo.StartAsync(ExpiringSessions);
        Assert.Equal("You have visited this page 1 times", await new PublicBrowser(app.Host, new Uri("http://127.0.0.1:7071/"), RequestOrigin.LocalFuncStart).GetPageAsync("/counter"));
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(FunctionsHost.TimerPayload("PurgeExpiredSessions"), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await app.Host.ForwardAsync(request, RequestOrigin.LocalFuncStart);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Purged", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not from the host", app.Output, StringComparison.OrdinalIgnoreCase);
        // The expired session was still there for the host's own invocation.
        Assert.Equal(1, await PurgedCountAsync(app.Host));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/counter")]
    [InlineData("/PurgeExpiredSessions/more")]
    [InlineData("/static/PurgeExpiredSessions")]
    public void The_host_still_routes_every_other_path_to_the_app(string path)
    {
        var routes = FunctionsRouteTable.Read(_demo.Folder);

        Assert.Equal("HttpForwarder", routes.Find("GET", path));
        Assert.Equal("HttpForwarder", routes.Find("POST", path));
        Assert.Null(routes.Find("POST", "/PurgeExpiredSessions"));
    }

    [Fact]
    public async Task A_malformed_invocation_payload_gets_400_with_what_was_expected()
    {
        await using var app = await _demo.StartAsync(new Dictionary<string, string> { ["Sessions__Store"] = "memory" });
        var cases = new[]
        {
            ("not json at all", "The body is not JSON."),
            ("[1, 2]", "a 'Data' object"),
            ("{\"Data\": 5, \"Metadata\": {}}", "a 'Data' object"),
            ("{\"Data\": {}, \"Metadata\": \"x\"}", "a 'Metadata' object"),
        };

        foreach (var (payload, expected) in cases)
        {
            using var response = await app.Host.InvokeAsync("PurgeExpiredSessions", payload);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await PurgedCountAsync(app.Host));
    }

    internal static async Task<int> PurgedCountAsync(FunctionsHost host)
    {
        using var response = await host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Outputs"]!["purged"]!.GetValue<int>();
    }
}
