using LoginDemo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.TestSupport;

/// <summary>Starts samples/LoginDemo on Kestrel with a given store, as `dotnet run` would with configuration.</summary>
public static class LoginDemoHost
{
    public const string Key = "login_demo_test_key_at_least_32_characters";

    public static Task<KestrelApp> StartAsync(string store, params string[] extraArgs) => StartAsync(store, _ => { }, extraArgs);

    /// <summary>Starts the demo; <paramref name="configure"/> adjusts the builder (for example registers a store's client).</summary>
    public static Task<KestrelApp> StartAsync(string store, Action<WebApplicationBuilder> configure, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            $"--Sessions:Store={store}",
            $"--Sessions:EncryptionKey={Key}",
            .. extraArgs,
        ];
        var app = LoginDemoApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            configure(builder);
        });
        return KestrelApp.StartAsync(app);
    }
}
