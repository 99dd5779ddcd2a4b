using Microsoft.Extensions.DependencyInjection;
using SessionsServerless;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the session middleware to an application's pipeline.</summary>
public static class SessionsApplicationBuilderExtensions
{
    /// <summary>
    /// Gives each request a session, opened the first time an endpoint asks for it (a request that never does reads no
    /// cookie seal and no store), and saves it just before the response starts. Put it after static files, the cookie
    /// policy and authentication, and before the endpoints that use sessions.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseSessions(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(typeof(SessionLifecycle)))
        {
            throw new InvalidOperationException("Sessions are not registered. Call builder.Services.AddSessions(builder.Configuration) before app.UseSessions().");
        }

        return app.UseMiddleware<SessionMiddleware>();
    }
}
