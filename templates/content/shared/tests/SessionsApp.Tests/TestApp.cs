using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsApp.Tests;

/// <summary>
/// The app on Kestrel at a free loopback port, as it runs under <c>dotnet run</c>, with settings given as command-line arguments.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    /// <summary>A key for the tests only.</summary>
    public const string TestKey = "tests-only-key-0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly WebApplication _app;

    private TestApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Builds the app with <paramref name="settings"/> (e.g. <c>--environment=Production</c>) without starting it.</summary>
    public static WebApplication Build(params string[] settings) =>
        App.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--contentRoot={AppContext.BaseDirectory}",
#if (serverStore)
                // The tests keep sessions in memory, so they need no cloud service; the store package is tested on its own.
                "--Sessions:Store=memory",
#endif
                .. settings,
            ],
            builder => builder.Logging.ClearProviders());

    /// <summary>Starts the app in the Production environment with the test key.</summary>
    public static async Task<TestApp> StartAsync()
    {
        var app = Build("--environment=Production", $"--Sessions:EncryptionKey={TestKey}");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address));
    }

    /// <summary>A client that keeps cookies as a browser does.</summary>
    public HttpClient CreateBrowser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
