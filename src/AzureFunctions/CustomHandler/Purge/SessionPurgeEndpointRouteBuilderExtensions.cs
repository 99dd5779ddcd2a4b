using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SessionsServerless;
using SessionsServerless.AzureFunctions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint behind the <c>PurgeExpiredSessions</c> timer function.</summary>
public static class SessionPurgeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Answers the <c>PurgeExpiredSessions</c> timer function that <c>dotnet publish</c> generates: the Functions host
    /// posts each timer invocation to <c>/PurgeExpiredSessions</c>, and the configured store's expired sessions are deleted
    /// when it implements <see cref="IPurgeableSessionStore"/> (the cookie store keeps nothing to purge; stores with their
    /// own expiry are left alone). Requests the host forwards from the public internet get 404 from this endpoint.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>A builder for conventions on the endpoint.</returns>
    /// <exception cref="InvalidOperationException">Sessions are not registered.</exception>
    public static IEndpointConventionBuilder MapSessionPurge(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsKeyedService>() is { } keyed
            && !keyed.IsKeyedService(typeof(ISessionStore), SessionStoreNames.Memory))
        {
            throw new InvalidOperationException("Sessions are not registered. Call builder.Services.AddSessions(builder.Configuration) before app.MapSessionPurge().");
        }

        return endpoints.MapPost("/" + SessionPurgeHandler.FunctionName, SessionPurgeHandler.HandleAsync)
            .WithDisplayName("Azure Functions timer: " + SessionPurgeHandler.FunctionName);
    }
}
