using System.Text.Json.Nodes;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Interop;

/// <summary>
/// A real Hono app running hono-sessions 0.8.1 and our app share one cookie session with one password, live: each
/// continues what the other wrote.
/// </summary>
public sealed class HonoSessionsInteropTests
{
    [Fact]
    public async Task A_counter_started_in_Hono_continues_in_dotnet_and_back()
    {
        await using var hono = await HonoApp.StartAsync(SessionTestApp.Key);
        await using var dotnet = await SessionTestApp.StartAsync();
        using var honoClient = new CookieClient(hono.BaseAddress);
        using var dotnetClient = dotnet.CreateClient();

        Assert.Equal(1, await HonoCounterAsync(honoClient));
        Assert.Equal(2, honoClient.LastSetCookies.Count); // hono-sessions sends two for a new session; we send one.

        dotnetClient.Cookies["session"] = honoClient.SessionCookie!;
        Assert.Equal("1", await dotnetClient.GetStringAsync("/counter"));
        Assert.Equal("2", await dotnetClient.GetStringAsync("/count"));
        Assert.Single(dotnetClient.LastSetCookies);

        honoClient.Cookies["session"] = dotnetClient.SessionCookie!;
        Assert.Equal(3, await HonoCounterAsync(honoClient));
    }

    [Fact]
    public async Task Flash_messages_cross_in_both_directions_and_are_shown_once()
    {
        await using var hono = await HonoApp.StartAsync(SessionTestApp.Key);
        await using var dotnet = await SessionTestApp.StartAsync();
        using var honoClient = new CookieClient(hono.BaseAddress);
        using var dotnetClient = dotnet.CreateClient();

        await honoClient.GetStringAsync("/flash");
        dotnetClient.Cookies["session"] = honoClient.SessionCookie!;
        Assert.Equal("Hello from Hono", await dotnetClient.GetStringAsync("/get/message"));
        Assert.Equal("<none>", await dotnetClient.GetStringAsync("/get/message"));

        await dotnetClient.PostAsync("/set/email/a@b.c");
        await dotnetClient.PostAsync("/flash/notice/from-dotnet");
        honoClient.Cookies["session"] = dotnetClient.SessionCookie!;
        Assert.Equal("from-dotnet", JsonNode.Parse(await honoClient.GetStringAsync("/get/notice"))!["value"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(await honoClient.GetStringAsync("/get/notice"))!["value"]);
        Assert.Equal("a@b.c", JsonNode.Parse(await honoClient.GetStringAsync("/get/email"))!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Hono_cookie_sealed_with_another_password_is_not_accepted()
    {
        await using var hono = await HonoApp.StartAsync("a_different_password_of_32_characters_x");
        await using var dotnet = await SessionTestApp.StartAsync();
        using var honoClient = new CookieClient(hono.BaseAddress);
        using var dotnetClient = dotnet.CreateClient();
        await HonoCounterAsync(honoClient);

        dotnetClient.Cookies["session"] = honoClient.SessionCookie!;

        Assert.Equal("<none>", await dotnetClient.GetStringAsync("/counter"));
    }

    private static async Task<int> HonoCounterAsync(CookieClient client) =>
        JsonNode.Parse(await client.GetStringAsync("/counter"))!["counter"]!.GetValue<int>();
}
