using SessionsServerless;

namespace SessionsApp;

/// <summary>
#if (host == "lambda")
/// Builds the app: sessions, the AWS Lambda host and the endpoints. <see cref="Program"/> runs it; the tests start it on
/// a loopback port with their own settings.
#else
/// Builds the app: sessions, the Azure Functions custom-handler host and the endpoints. <see cref="Program"/> runs it;
/// the tests start it on a loopback port with their own settings.
#endif
/// </summary>
public static class App
{
    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--environment</c>, <c>--Sessions:Store=memory</c>, ...).</param>
    /// <param name="configure">Adjusts the builder before the app is built (tests use it).</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
#if (host == "lambda")
        // On Lambda the key comes from the Secrets Manager secret that template.yaml names (Sessions__SecretsManager__SecretId),
        // read once through the AWS Parameters and Secrets Lambda Extension; without that setting nothing changes.
        builder.Configuration.AddSessionKeysFromSecretsManager();
#endif

        // Sessions, configured by the "Sessions" section (Sessions__Store, Sessions__EncryptionKey, ...).
#if (store == "dynamodb")
        builder.Services.AddSessions(builder.Configuration).AddDynamoDbStore();
#elseif (store == "table")
        builder.Services.AddSessions(builder.Configuration).AddAzureTableStore();
#else
        builder.Services.AddSessions(builder.Configuration);
#endif
        EncryptionKeyRules.Apply(builder);

#if (host == "lambda")
        // Serves Lambda invocations when Lambda runs the app (AWS_LAMBDA_RUNTIME_API is set); changes nothing otherwise.
        builder.Services.AddLambdaHosting();
#else
        // Under the Functions host (FUNCTIONS_CUSTOMHANDLER_PORT is set): listens where the host forwards requests and
        // applies the forwarded headers. Changes nothing otherwise.
        builder.Services.AddAzureFunctionsHosting();
#endif

        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseSessions();
        app.MapGet("/", VisitEndpoints.Home);
        app.MapPost("/sign-in", VisitEndpoints.SignIn);
        app.MapPost("/sign-out", VisitEndpoints.SignOut);
#if (store == "table")
        // Answers the PurgeExpiredSessions timer function: deletes expired sessions from the table.
        app.MapSessionPurge();
#endif
        return app;
    }
}
