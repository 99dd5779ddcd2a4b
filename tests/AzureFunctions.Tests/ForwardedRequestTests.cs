using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// Requests the Functions host forwards look to the app like the public request: scheme, host, client address and query,
/// taken from the forwarded headers only when they come from the host on the loopback address.
/// </summary>
public sealed class ForwardedRequestTests
{
    private static readonly Uri PublicAddress = new("https://sessions-demo.azurewebsites.net/");

    [Fact]
    public async Task A_request_forwarded_from_Azure_sees_the_public_scheme_host_and_client_address()
    {
        await using var handler = await StartEchoAsync();

        var echo = await EchoAsync(handler, new HttpRequestMessage(HttpMethod.Get, new Uri(PublicAddress, "/echo")), RequestOrigin.Azure);

        Assert.Equal("https", echo["scheme"]);
        Assert.Equal("sessions-demo.azurewebsites.net", echo["host"]);
        Assert.Equal("203.0.113.24", echo["remote"]);
        Assert.Equal("True", echo["https"]);
    }

    [Fact]
    public async Task Absolute_redirects_point_at_the_public_https_address()
    {
        await using var handler = await StartEchoAsync();

        using var response = await handler.Host.ForwardAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(PublicAddress, "/go")), RequestOrigin.Azure);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("https://sessions-demo.azurewebsites.net/next"), response.Headers.Location);
    }

    [Fact]
    public async Task A_client_cannot_choose_its_address_with_its_own_X_Forwarded_For()
    {
        await using var handler = await StartEchoAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PublicAddress, "/echo"));
        request.Headers.Add("X-Forwarded-For", "10.9.8.7");

        var echo = await EchoAsync(handler, request, RequestOrigin.Azure);

        Assert.Equal("203.0.113.24", echo["remote"]);
    }

    [Fact]
    public async Task X_ARR_SSL_marks_https_when_there_is_no_X_Forwarded_Proto()
    {
        await using var handler = await StartEchoAsync();

        var echo = await EchoDirectAsync(handler, "/echo", "X-ARR-SSL", "2048|256|CN=issuer|CN=*.azurewebsites.net");

        Assert.Equal("https", echo["scheme"]);
    }

    [Fact]
    public async Task X_Forwarded_Host_is_ignored_unless_the_host_is_allowed()
    {
        await using var ignoring = await StartEchoAsync();
        await using var allowing = await StartEchoAsync(options => options.ForwardedHosts.Add("www.contoso.com"));

        Assert.Equal("sessions-demo.azurewebsites.net", (await EchoAsync(ignoring, WithForwardedHost("www.contoso.com"), RequestOrigin.Azure))["host"]);
        Assert.Equal("www.contoso.com", (await EchoAsync(allowing, WithForwardedHost("www.contoso.com"), RequestOrigin.Azure))["host"]);
        Assert.Equal("sessions-demo.azurewebsites.net", (await EchoAsync(allowing, WithForwardedHost("evil.example"), RequestOrigin.Azure))["host"]);
    }

    [Fact]
    public async Task Repeated_query_keys_the_host_merges_are_restored_from_X_Original_URL()
    {
        await using var handler = await StartEchoAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PublicAddress, "/echo?tag=a&tag=b&q=x%20y"));

        var echo = await EchoAsync(handler, request, RequestOrigin.Azure);

        Assert.Equal("a|b", echo["tag"]);
        Assert.Equal("x y", echo["q"]);
    }

    [Fact]
    public async Task X_Original_URL_for_another_path_changes_nothing()
    {
        await using var handler = await StartEchoAsync();

        var echo = await EchoDirectAsync(handler, "/echo?tag=c", "X-Original-URL", "/admin?tag=d");

        Assert.Equal("c", echo["tag"]);
    }

    [Fact]
    public async Task Without_the_host_port_forwarded_headers_are_ignored_and_the_configured_urls_are_used()
    {
        await using var app = InProcessHandler.Build(customHandlerPort: null, MapEchoEndpoints);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, address + "/echo");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.99");
        request.Headers.Add("X-ARR-SSL", "yes");

        using var response = await http.SendAsync(request);
        var echo = Parse(await response.Content.ReadAsStringAsync());

        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal("http", echo["scheme"]);
        Assert.Equal("127.0.0.1", echo["remote"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task Headers_from_an_address_other_than_loopback_are_not_trusted()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Request.Scheme = "http";
        context.Request.Path = "/echo";
        context.Request.QueryString = new QueryString("?tag=a,b");
        context.Request.Headers["X-ARR-SSL"] = "yes";
        context.Request.Headers["X-Original-URL"] = "/echo?tag=a&tag=b";
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.5";
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        var forwardedHeaders = new ForwardedHeadersMiddleware(
            _ => Task.CompletedTask,
            NullLoggerFactory.Instance,
            Options.Create(ForwardedRequestStartupFilter.CreateForwardedHeadersOptions(new AzureFunctionsHostingOptions())));
        var middleware = new ForwardedRequestMiddleware(forwardedHeaders.Invoke);

        await middleware.InvokeAsync(context);

        Assert.Equal("http", context.Request.Scheme);
        Assert.Equal("?tag=a,b", context.Request.QueryString.Value);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), context.Connection.RemoteIpAddress);
    }

    private static HttpRequestMessage WithForwardedHost(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PublicAddress, "/echo"));
        request.Headers.Add("X-Forwarded-Host", host);
        return request;
    }

    private static Task<InProcessHandler> StartEchoAsync(Action<AzureFunctionsHostingOptions>? configure = null) =>
        InProcessHandler.StartAsync(MapEchoEndpoints, configureHosting: configure);

    private static void MapEchoEndpoints(WebApplication app)
    {
        app.MapGet("/echo", (HttpContext context) => string.Join('\n',
            "scheme=" + context.Request.Scheme,
            "https=" + context.Request.IsHttps,
            "host=" + context.Request.Host.Value,
            "remote=" + context.Connection.RemoteIpAddress,
            "tag=" + string.Join('|', context.Request.Query["tag"].ToArray()),
            "q=" + context.Request.Query["q"]));
        app.MapGet("/go", (HttpContext context) => Results.Redirect($"{context.Request.Scheme}://{context.Request.Host}/next"));
    }

    private static async Task<Dictionary<string, string>> EchoAsync(InProcessHandler handler, HttpRequestMessage request, RequestOrigin origin)
    {
        using var response = await handler.Host.ForwardAsync(request, origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A request straight to the handler's port from loopback, with one header the host would pass on.</summary>
    private static async Task<Dictionary<string, string>> EchoDirectAsync(InProcessHandler handler, string pathAndQuery, string header, string value)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(handler.Host.HandlerAddress, pathAndQuery));
        request.Headers.Add(header, value);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Parse(string echo) =>
        echo.Split('\n').Select(line => line.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
