using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionsServerless;
using SessionsServerless.AzureFunctions.Worker;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>Adds sessions to an Azure Functions isolated-worker app that uses the ASP.NET Core integration.</summary>
public static class FunctionsWorkerSessionsExtensions
{
    // What ConfigureFunctionsWebApplication() registers (an internal interface of the ASP.NET Core integration, found by
    // name): the integration's middleware runs before this one, so it must be set up first.
    private const string HttpCoordinatorTypeName = "Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore.IHttpCoordinator";

    /// <summary>
    /// Gives every HTTP-triggered function the request's session (a <see cref="Session"/> parameter, or
    /// <c>request.HttpContext.GetSession()</c>) and saves it once, just before the response starts. Timer, queue and
    /// other triggers pass through untouched. Call it after <c>builder.ConfigureFunctionsWebApplication()</c> and after
    /// <c>builder.Services.AddSessions(builder.Configuration)</c>, which registers the sessions and their store.
    /// </summary>
    /// <param name="builder">The worker (<c>FunctionsApplication.CreateBuilder(args)</c>, or the builder
    /// <c>ConfigureFunctionsWebApplication(worker => ...)</c> passes).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Sessions are not registered, or the ASP.NET Core integration is not set up yet.</exception>
    public static IFunctionsWorkerApplicationBuilder UseSessions(this IFunctionsWorkerApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(static d => d.ServiceType == typeof(SessionLifecycle)))
        {
            throw new InvalidOperationException(
                "Sessions are not registered. Call builder.Services.AddSessions(builder.Configuration) before builder.UseSessions().");
        }

        if (!services.Any(static d => d.ServiceType.FullName == HttpCoordinatorTypeName))
        {
            throw new InvalidOperationException(
                "Sessions in an isolated-worker app need the ASP.NET Core integration. Call builder.ConfigureFunctionsWebApplication() before builder.UseSessions().");
        }

        services.Configure<WorkerOptions>(static options => options.InputConverters.RegisterAt<SessionInputConverter>(0));
        builder.UseMiddleware<FunctionsSessionMiddleware>();
        return builder;
    }
}
