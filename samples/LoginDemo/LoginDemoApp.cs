using SessionsServerless;

namespace LoginDemo;

/// <summary>
/// The hono-sessions demo in ASP.NET Core: a login form with failed attempts counted, flash messages shown once, id
/// rotation at login, logout, and a counter. The same app runs on Kestrel, AWS Lambda and Azure Functions; the store is
/// configuration (<c>Sessions:Store</c>).
/// </summary>
public static class LoginDemoApp
{
    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Sessions:Store=memory</c>, ...).</param>
    /// <param name="configure">Lets tests and hosts adjust the builder before the app is built.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // On Lambda, template.yaml names the key's secret (Sessions__SecretsManager__SecretId); nothing happens elsewhere.
        builder.Configuration.AddSessionKeysFromSecretsManager();
        builder.Services.AddSessions(builder.Configuration)
            .AddDynamoDbStore()
            .AddAzureTableStore()
            .AddRedisStore();
        builder.Services.AddLambdaHosting();
        builder.Services.AddAzureFunctionsHosting();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseSessions();
        app.MapGet("/", LoginEndpoints.Home);
        app.MapPost("/login", LoginEndpoints.LoginAsync);
        app.MapPost("/logout", LoginEndpoints.Logout);
        app.MapGet("/counter", CounterEndpoints.Count);
        app.MapGet("/read", CounterEndpoints.Read);
        app.MapGet("/bare-cookie", CounterEndpoints.BareCookie);
        app.MapGet("/stream", StreamEndpoints.StreamAsync).WithLambdaResponseStreaming();
        app.MapSessionPurge();
        return app;
    }
}
