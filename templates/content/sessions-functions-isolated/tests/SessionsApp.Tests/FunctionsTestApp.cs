using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionsServerless;

namespace SessionsApp.Tests;

/// <summary>
/// The app's functions on Kestrel at a free loopback port, behind the same session middleware core the Functions worker
/// runs (no Functions host needed): each route calls its function and executes the IActionResult it returns, as the
/// worker's ASP.NET Core integration does.
/// </summary>
internal sealed class FunctionsTestApp : IAsyncDisposable
{
    /// <summary>A key for the tests only.</summary>
    public const string TestKey = "tests-only-key-0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly WebApplication _app;

    private FunctionsTestApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<FunctionsTestApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        // The tests keep sessions in memory, so they need no cloud service; the store package is tested on its own.
        builder.Services.AddSessions(options =>
        {
            options.Store = "memory";
            options.EncryptionKey = TestKey;
        });
        builder.Services.AddMvcCore();
        var app = builder.Build();
        app.UseSessions();
        app.MapGet("/", (HttpContext context, Session session) => ExecuteAsync(context, VisitFunctions.Home(context.Request, session)));
        app.MapPost("/sign-in", async (HttpContext context, Session session) => await ExecuteAsync(context, await VisitFunctions.SignInAsync(context.Request, session)));
        app.MapPost("/sign-out", (HttpContext context, Session session) => ExecuteAsync(context, VisitFunctions.SignOut(context.Request, session)));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FunctionsTestApp(app, new Uri(address));
    }

    /// <summary>A client that keeps cookies as a browser does.</summary>
    public HttpClient CreateBrowser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task ExecuteAsync(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
