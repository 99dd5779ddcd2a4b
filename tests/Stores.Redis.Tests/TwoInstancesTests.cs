using System.Net;
using SessionsServerless.Stores.Redis.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.Redis.Tests;

/// <summary>Two instances of the login demo (two apps on Kestrel, as a scaled-out app has) on one Redis.</summary>
public sealed class TwoInstancesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_session_started_on_one_instance_continues_on_the_other_and_ends_on_both()
    {
        string prefix = RedisServer.NewKeyPrefix();
        await using var first = await RedisDemo.StartAsync(redis, prefix);
        await using var second = await RedisDemo.StartAsync(redis, prefix);
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();
        using var inspection = RedisInspection.Connect(redis);

        await onFirst.PostAsync("/login", RedisDemo.Form(LoginDemo.LoginEndpoints.CorrectPassword));
        onSecond.Cookies["session"] = onFirst.SessionCookie!;

        string page = await onSecond.GetStringAsync("/");
        Assert.Contains("Login Successful", page, StringComparison.Ordinal);
        Assert.Contains("ada@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Login Successful", await onFirst.GetStringAsync("/"), StringComparison.Ordinal);

        for (int visit = 1; visit <= 4; visit++)
        {
            var browser = visit % 2 == 1 ? onFirst : onSecond;
            Assert.Equal($"You have visited this page {visit} times", await browser.GetStringAsync("/counter"));
        }

        string id = RedisDemo.SessionId(onFirst.SessionCookie!);
        Assert.Equal([prefix + RedisDemo.StoreKey(id)], inspection.Keys(prefix));

        using (var logout = await onSecond.PostAsync("/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        Assert.Contains("id=\"login-button\"", await onFirst.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("You have visited this page 1 times", await onFirst.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task Login_rotates_the_id_the_old_key_is_deleted_and_no_key_or_value_holds_the_session_id()
    {
        string prefix = RedisServer.NewKeyPrefix();
        await using var app = await RedisDemo.StartAsync(redis, prefix);
        using var browser = app.CreateClient();
        using var inspection = RedisInspection.Connect(redis);

        await browser.PostAsync("/login", RedisDemo.Form("wrong"));
        string before = RedisDemo.SessionId(browser.SessionCookie!);
        Assert.Equal([prefix + RedisDemo.StoreKey(before)], inspection.Keys(prefix));

        await browser.PostAsync("/login", RedisDemo.Form(LoginDemo.LoginEndpoints.CorrectPassword));
        string after = RedisDemo.SessionId(browser.SessionCookie!);

        Assert.NotEqual(before, after);
        string key = Assert.Single(inspection.Keys(prefix));
        Assert.Equal(prefix + RedisDemo.StoreKey(after), key);
        var values = await inspection.GetDatabase().HashGetAllAsync(key);
        Assert.All(values, entry =>
        {
            Assert.DoesNotContain(after, entry.Value.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(before, entry.Value.ToString(), StringComparison.Ordinal);
        });
        Assert.Contains("Login Successful", await browser.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
