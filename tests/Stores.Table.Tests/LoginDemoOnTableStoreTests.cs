using System.Net;
using Azure.Data.Tables;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>The login demo on the table store: what the user sees, and what the table holds after each step.</summary>
public sealed class LoginDemoOnTableStoreTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task Login_rotates_the_id_to_a_new_entity_and_removes_the_old_one_and_logout_removes_the_last()
    {
        var table = await azurite.CreateTableAsync();
        await using var app = await TableDemo.StartAsync(azurite, table.Name);
        using var browser = app.CreateClient();

        using (var failed = await browser.PostAsync("/login", TableDemo.Form("wrong")))
        {
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        }

        string firstId = TableDemo.SessionId(browser.SessionCookie!);
        var first = Assert.Single(await table.EntitiesAsync());
        Assert.Equal(TableDemo.StoreKey(firstId), first.RowKey);
        Assert.Contains("\"failed-login-attempts\":{\"value\":1", first.GetString("Data"), StringComparison.Ordinal);

        using (var login = await browser.PostAsync("/login", TableDemo.Form(LoginDemo.LoginEndpoints.CorrectPassword)))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        string secondId = TableDemo.SessionId(browser.SessionCookie!);
        Assert.NotEqual(firstId, secondId);
        var second = Assert.Single(await table.EntitiesAsync());
        Assert.Equal(TableDemo.StoreKey(secondId), second.RowKey);
        Assert.Contains("Login Successful", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.DoesNotContain("Login Successful", await browser.GetStringAsync("/"), StringComparison.Ordinal);

        using (var logout = await browser.PostAsync("/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Null(browser.SessionCookie);
        }

        Assert.Empty(await table.EntitiesAsync());
    }

    [Fact]
    public async Task The_table_never_holds_the_session_id_only_its_hash()
    {
        var table = await azurite.CreateTableAsync();
        await using var app = await TableDemo.StartAsync(azurite, table.Name);
        using var browser = app.CreateClient();
        await browser.PostAsync("/login", TableDemo.Form(LoginDemo.LoginEndpoints.CorrectPassword));
        await browser.GetStringAsync("/counter");
        string id = TableDemo.SessionId(browser.SessionCookie!);

        var entity = Assert.Single(await table.EntitiesAsync());

        Assert.Equal(TableDemo.StoreKey(id)[..2], entity.PartitionKey);
        Assert.All(entity, property => Assert.DoesNotContain(id, property.Value?.ToString() ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_counter_keeps_counting_across_requests_and_a_tampered_cookie_gets_a_fresh_session()
    {
        var table = await azurite.CreateTableAsync();
        await using var app = await TableDemo.StartAsync(azurite, table.Name);
        using var browser = app.CreateClient();

        for (int visit = 1; visit <= 3; visit++)
        {
            Assert.Equal($"You have visited this page {visit} times", await browser.GetStringAsync("/counter"));
        }

        string cookie = browser.SessionCookie!;
        browser.Cookies["session"] = cookie[..^4] + (cookie.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        Assert.Equal("You have visited this page 1 times", await browser.GetStringAsync("/counter"));
        Assert.Equal(2, (await table.EntitiesAsync()).Count);
    }
}
