using System.Net;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>Two instances of the login demo (two apps on Kestrel, as a scaled-out Functions app has) on one table.</summary>
public sealed class TwoInstancesTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task A_session_started_on_one_instance_continues_on_the_other_and_ends_on_both()
    {
        var table = await azurite.CreateTableAsync();
        await using var first = await TableDemo.StartAsync(azurite, table.Name);
        await using var second = await TableDemo.StartAsync(azurite, table.Name);
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();

        await onFirst.PostAsync("/login", TableDemo.Form(LoginDemo.LoginEndpoints.CorrectPassword));
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

        using (var logout = await onSecond.PostAsync("/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        Assert.Contains("id=\"login-button\"", await onFirst.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("You have visited this page 1 times", await onFirst.GetStringAsync("/counter"));
    }
}
