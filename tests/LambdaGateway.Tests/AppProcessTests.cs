using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>
/// The gateway with real apps as child processes: LoginDemo running its real Lambda loop (src/Lambda) over both event
/// formats, and apps that fail to start, crash, hang or do not speak the Runtime API at all.
/// </summary>
public sealed class AppProcessTests
{
    [Theory]
    [InlineData("HttpApi")]
    [InlineData("RestApi")]
    public async Task LoginDemo_runs_its_real_Lambda_loop_behind_the_gateway_with_its_session_cookie(string formatName)
    {
        var format = Enum.Parse<EventFormat>(formatName);
        await using var gateway = await TestGateway.StartAsync(TestApps.LoginDemo(format));
        var cookie = new CookieHeader();
        try
        {
            Assert.Equal("You have visited this page 1 times", await GetAsync(gateway, cookie, "/counter"));
            Assert.Equal("You have visited this page 2 times", await GetAsync(gateway, cookie, "/counter"));

            using var login = await SendAsync(gateway, cookie, new HttpRequestMessage(HttpMethod.Post, "/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "gateway@example.com", ["password"] = "correct" }),
            });
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            Assert.Equal("/", login.Headers.Location!.OriginalString);
            string setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith("session=Fe26.2**", setCookie, StringComparison.Ordinal);

            // The gateway is plain HTTP and says so in X-Forwarded-Proto, so the cookie is not Secure (on API Gateway it is).
            Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Log out gateway@example.com", await GetAsync(gateway, cookie, "/"), StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(gateway.Diagnostics(), exception);
        }
    }

    [Fact]
    public async Task An_app_that_fails_to_start_gives_a_502_with_its_init_error_and_is_started_again_for_the_next_request()
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.LoginDemo(EventFormat.HttpApi, encryptionKey: null));

        using var first = await gateway.Client.GetAsync("/");
        using var second = await gateway.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        var error = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("Microsoft.Extensions.Options.OptionsValidationException", (string?)error["errorType"]);
        Assert.Contains("Sessions:EncryptionKey is not set", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal(2, gateway.Log.Split('\n').Count(line => line.Contains("Started the app", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_crashed_app_is_started_again_for_the_next_request_and_the_cookie_session_carries_on()
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.LoginDemo(EventFormat.HttpApi));
        var cookie = new CookieHeader();
        Assert.Equal("You have visited this page 1 times", await GetAsync(gateway, cookie, "/counter"));
        int firstProcess = gateway.AppProcessId ?? throw new InvalidOperationException(gateway.Diagnostics());

        using (var process = Process.GetProcessById(firstProcess))
        {
            process.Kill();
        }

        await gateway.WaitForLogAsync($"The app (process {firstProcess}) exited");
        Assert.Equal("You have visited this page 2 times", await GetAsync(gateway, cookie, "/counter"));
        Assert.NotEqual(firstProcess, gateway.AppProcessId);
    }

    [Fact]
    public async Task An_app_that_exits_during_an_invocation_gives_a_502_with_its_exit_code()
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.Script(TestApps.TakeInvocation + "\nexit 7"));

        using var response = await gateway.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("The app exited (exit code 7) before it answered", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_that_does_not_answer_in_time_gets_504_and_is_stopped()
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.Script(TestApps.TakeInvocation + "\nsleep 60", timeout: TimeSpan.FromSeconds(1)));

        using var response = await gateway.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("The app was stopped; the next request starts it again.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await gateway.WaitForLogAsync("exited with code");
        Assert.Null(gateway.AppProcessId);
    }

    [Fact]
    public async Task An_app_that_never_asks_for_an_invocation_gets_504_with_a_hint_and_is_stopped()
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.Script("sleep 60", initTimeout: TimeSpan.FromSeconds(1)));

        using var response = await gateway.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("Does it call builder.Services.AddLambdaHosting()?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("did not ask for an invocation within 1 s of starting", gateway.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_cannot_start_gives_a_502_that_names_it()
    {
        await using var gateway = await TestGateway.StartAsync(new GatewayOptions { Port = 0, Command = "no-such-command-for-the-gateway" });

        using var response = await gateway.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        string message = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!;
        Assert.Contains("no-such-command-for-the-gateway", message, StringComparison.Ordinal);
        Assert.Contains("Check the command after --.", message, StringComparison.Ordinal);
    }

    private static async Task<string> GetAsync(TestGateway gateway, CookieHeader cookie, string path)
    {
        using var response = await SendAsync(gateway, cookie, new HttpRequestMessage(HttpMethod.Get, path));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}\n{gateway.Diagnostics()}");
        return body;
    }

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, CookieHeader cookie, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await gateway.Client.SendAsync(cookie.Attach(request));
            cookie.Apply(response);
            return response;
        }
    }
}
