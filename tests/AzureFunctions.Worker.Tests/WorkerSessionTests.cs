using System.Net;
using SessionsServerless.AzureFunctions.Worker.Tests.Support;

namespace SessionsServerless.AzureFunctions.Worker.Tests;

/// <summary>
/// Sessions in [Function] methods, through the local Functions host: the published fixture app, its requests proxied to
/// the worker's own HTTP endpoint as the real host's ASP.NET Core integration does.
/// </summary>
[Collection(WorkerAppsCollection.Name)]
public sealed class WorkerSessionTests
{
    private readonly WorkerApps _apps;

    public WorkerSessionTests(WorkerApps apps)
    {
        _apps = apps;
    }

    [Theory]
    [InlineData("cookie", "count")]
    [InlineData("memory", "count")]
    [InlineData("cookie", "count-direct")]
    [InlineData("memory", "count-direct")]
    public async Task A_session_keeps_its_values_across_invocations_with_one_Set_Cookie_and_no_store(string store, string route)
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, new Dictionary<string, string> { ["Sessions__Store"] = store });
        using var browser = Browser.Create(host.BaseAddress);

        using (var first = await browser.GetAsync(route))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("count 1", await first.Content.ReadAsStringAsync());
            Assert.Single(Browser.SetCookies(first));
            Assert.Contains("no-store", first.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }

        using var second = await browser.GetAsync(route);
        Assert.Equal("count 2", await second.Content.ReadAsStringAsync());
        Assert.True(Browser.SetCookies(second).Count <= 1);
    }

    [Fact]
    public async Task A_function_that_never_touches_the_session_reads_no_store_and_works_while_the_store_is_down()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, StoreDown.TableSettings());
        using var client = Browser.CreateWithoutCookieJar(host.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "plain");
        request.Headers.Add("Cookie", "session=" + StoreDown.SomeSessionId());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("plain", await response.Content.ReadAsStringAsync());
        Assert.Empty(Browser.SetCookies(response));
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_gives_503_and_keeps_the_cookie()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, StoreDown.TableSettings());
        using var client = Browser.CreateWithoutCookieJar(host.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "count");
        request.Headers.Add("Cookie", "session=" + StoreDown.SomeSessionId());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(Browser.SetCookies(response));
        Assert.DoesNotContain("count", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_gives_503_instead_of_the_functions_result()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, StoreDown.TableSettings());
        using var browser = Browser.Create(host.BaseAddress);

        using var response = await browser.GetAsync("count");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(Browser.SetCookies(response));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("could not be saved", body, StringComparison.Ordinal);
        Assert.DoesNotContain("count 1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_throws_saves_nothing()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, new Dictionary<string, string> { ["Sessions__Store"] = "memory" });
        using var browser = Browser.Create(host.BaseAddress);
        using (var counted = await browser.GetAsync("count"))
        {
            Assert.Equal("count 1", await counted.Content.ReadAsStringAsync());
        }

        using (var failed = await browser.GetAsync("fail"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Empty(Browser.SetCookies(failed));
        }

        using var after = await browser.GetAsync("count");
        Assert.Equal("count 2", await after.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task A_tampered_cookie_gives_a_fresh_session(string store)
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, new Dictionary<string, string> { ["Sessions__Store"] = store });
        using var client = Browser.CreateWithoutCookieJar(host.BaseAddress);
        string cookie;
        using (var first = await client.GetAsync("count"))
        {
            cookie = Browser.SetCookies(first).Single().Split(';')[0];
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "count"))
        {
            request.Headers.Add("Cookie", cookie);
            using var second = await client.SendAsync(request);
            Assert.Equal("count 2", await second.Content.ReadAsStringAsync());
        }

        char last = cookie[^1];
        string tampered = cookie[..^1] + (last == 'A' ? 'B' : 'A');
        using (var request = new HttpRequestMessage(HttpMethod.Get, "count"))
        {
            request.Headers.Add("Cookie", tampered);
            using var third = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
            Assert.Equal("count 1", await third.Content.ReadAsStringAsync());
            Assert.NotEqual(tampered, Browser.SetCookies(third).Single().Split(';')[0]);
        }
    }

    [Fact]
    public async Task A_timer_function_runs_untouched_while_the_store_is_down()
    {
        await using var host = await WorkerApps.StartAsync(_apps.Fixture, StoreDown.TableSettings());

        var invocation = await host.InvokeTimerAsync("Tick");

        Assert.True(invocation.Succeeded, invocation.ExceptionMessage);
        Assert.Contains(invocation.Logs, log => log.Message.Contains("Tick ran; HTTP context: False", StringComparison.Ordinal));
    }
}
