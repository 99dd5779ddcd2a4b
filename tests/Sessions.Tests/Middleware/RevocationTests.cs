using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>An app-supplied validator ends sessions a sealed cookie alone could not: "log out everywhere" with the cookie store.</summary>
public sealed class RevocationTests
{
    private static readonly SessionKey<string> User = new("user");
    private static readonly SessionKey<long> IssuedAt = new("issued");

    /// <summary>The app's own record of when each user last logged out everywhere (any store would do).</summary>
    private sealed class LogoutEverywhereList
    {
        public Dictionary<string, long> Since { get; } = [];
    }

    private static Task<KestrelApp> StartAsync(LogoutEverywhereList list, string store = SessionStoreNames.Cookie) =>
        SessionTestApp.StartAsync(
            options => options.Store = store,
            stores: sessions => sessions.AddValidator(context =>
                ValueTask.FromResult(
                    !context.Session.TryGet(User, out var user)
                    || !list.Since.TryGetValue(user, out long since)
                    || context.Session.Get(IssuedAt) > since)),
            endpoints: app =>
            {
                app.MapPost("/login/{user}/{time:long}", (string user, long time, Session session) =>
                {
                    session.RegenerateId();
                    session.Set(User, user);
                    session.Set(IssuedAt, time);
                    return "in";
                });
                app.MapGet("/whoami", (Session session) => session.Get(User) ?? "<nobody>");
            });

    [Theory]
    [InlineData(SessionStoreNames.Cookie)]
    [InlineData(SessionStoreNames.Memory)]
    public async Task Log_out_everywhere_ends_every_copy_of_the_users_sessions_issued_before_it(string store)
    {
        var list = new LogoutEverywhereList();
        await using var app = await StartAsync(list, store);
        using var laptop = app.CreateClient();
        using var phone = app.CreateClient();
        await laptop.PostAsync("/login/ann/100");
        await phone.PostAsync("/login/ann/200");
        using var copy = app.CreateClient();
        copy.Cookies["session"] = laptop.SessionCookie!;

        list.Since["ann"] = 300;

        Assert.Equal("<nobody>", await laptop.GetStringAsync("/whoami"));
        Assert.Contains("max-age=0", Assert.Single(laptop.LastSetCookies), StringComparison.Ordinal);
        Assert.Equal("<nobody>", await copy.GetStringAsync("/whoami"));
        Assert.Equal("<nobody>", await phone.GetStringAsync("/whoami"));

        await phone.PostAsync("/login/ann/400");
        Assert.Equal("ann", await phone.GetStringAsync("/whoami"));
    }

    [Fact]
    public async Task A_rejected_server_session_loses_its_record()
    {
        var store = new ScriptedStore(new MemoryStore(TimeProvider.System, Options.Create(new MemoryStoreOptions())));
        bool accept = true;
        await using var app = await SessionTestApp.StartAsync(
            options => options.Store = "scripted",
            stores: sessions => sessions.AddStore("scripted", _ => store).AddValidator(_ => ValueTask.FromResult(accept)));
        using var client = app.CreateClient();
        await client.PostAsync("/set/a/1");
        Assert.Equal(1, store.Inner.Count);

        accept = false;
        Assert.Equal("<none>", await client.GetStringAsync("/get/a"));
        Assert.Equal(0, store.Inner.Count);
    }
}
