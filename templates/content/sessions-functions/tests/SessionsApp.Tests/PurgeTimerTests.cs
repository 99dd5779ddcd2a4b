using System.Net;
using System.Text;
using System.Text.Json;

namespace SessionsApp.Tests;

/// <summary>
/// The PurgeExpiredSessions timer function that `dotnet publish` generates: the Functions host posts each run to
/// /PurgeExpiredSessions on the loopback address, and only the host may.
/// </summary>
public sealed class PurgeTimerTests
{
    private const string TimerPayload = """{"Data": {"timer": {"IsPastDue": false}}, "Metadata": {}}""";

    [Fact]
    public async Task A_timer_run_from_the_host_purges_the_store_and_reports_how_many_sessions_it_deleted()
    {
        await using var app = await TestApp.StartAsync();
        using var host = new HttpClient { BaseAddress = app.Address };
        using var run = new HttpRequestMessage(HttpMethod.Post, "/PurgeExpiredSessions")
        {
            Content = new StringContent(TimerPayload, Encoding.UTF8, "application/json"),
        };
        run.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());

        using var response = await host.SendAsync(run);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, result.RootElement.GetProperty("Outputs").GetProperty("purged").GetInt32());
    }

    [Fact]
    public async Task A_visitor_cannot_run_the_purge()
    {
        await using var app = await TestApp.StartAsync();
        using var visitor = app.CreateBrowser();

        using var response = await visitor.PostAsync("/PurgeExpiredSessions", new StringContent(TimerPayload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
