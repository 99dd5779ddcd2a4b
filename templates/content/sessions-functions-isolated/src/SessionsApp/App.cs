using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsApp;

/// <summary>
/// Sets the worker up: the ASP.NET Core integration, sessions (the "Sessions" section: Sessions__Store,
/// Sessions__EncryptionKey, ...) and the key rules. <see cref="Program"/> runs it; the tests build it with their own settings.
/// </summary>
public static class App
{
    /// <summary>Creates the worker's builder.</summary>
    /// <param name="args">The arguments the Functions host passes.</param>
    /// <returns>The builder, ready to build.</returns>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
#if (store == "table")
        builder.Services.AddSessions(builder.Configuration).AddAzureTableStore();
#else
        builder.Services.AddSessions(builder.Configuration);
#endif
        EncryptionKeyRules.Apply(builder);

        // Every HTTP-triggered function gets its session (a Session parameter); other triggers are left alone.
        builder.UseSessions();
        return builder;
    }
}
