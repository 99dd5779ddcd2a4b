using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>
/// An app built in this process with <c>AddAzureFunctionsHosting()</c> and FUNCTIONS_CUSTOMHANDLER_PORT in its
/// configuration, on real Kestrel, with a <see cref="FunctionsHost"/> in front of it.
/// </summary>
internal sealed class InProcessHandler : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessHandler(WebApplication app, FunctionsHost host)
    {
        _app = app;
        Host = host;
    }

    public FunctionsHost Host { get; }

    /// <summary>Builds and starts the app; <paramref name="configureServices"/> adds sessions and stores when the test needs them.</summary>
    public static async Task<InProcessHandler> StartAsync(
        Action<WebApplication> mapEndpoints,
        Action<IServiceCollection>? configureServices = null,
        Action<AzureFunctionsHostingOptions>? configureHosting = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        int port = FunctionsHost.FindFreePort();
        var app = Build(port.ToString(CultureInfo.InvariantCulture), mapEndpoints, configureServices, configureHosting, settings);
        await app.StartAsync();
        return new InProcessHandler(app, new FunctionsHost(port));
    }

    /// <summary>Builds the app without starting it, with any value for FUNCTIONS_CUSTOMHANDLER_PORT (null: not under the host).</summary>
    public static WebApplication Build(
        string? customHandlerPort,
        Action<WebApplication> mapEndpoints,
        Action<IServiceCollection>? configureServices = null,
        Action<AzureFunctionsHostingOptions>? configureHosting = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (customHandlerPort is not null)
        {
            values["FUNCTIONS_CUSTOMHANDLER_PORT"] = customHandlerPort;
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        builder.Configuration.AddInMemoryCollection(values);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddAzureFunctionsHosting(configureHosting);
        var app = builder.Build();
        mapEndpoints(app);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Host.Dispose();
    }
}
