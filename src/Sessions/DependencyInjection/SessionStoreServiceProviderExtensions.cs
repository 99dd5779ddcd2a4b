using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>Finds the store the configuration selects, for code that runs outside a request (purge timers, tools).</summary>
public static class SessionStoreServiceProviderExtensions
{
    /// <summary>
    /// The server store <see cref="SessionsOptions.Store"/> selects, or <see langword="null"/> for the cookie store, which
    /// keeps nothing on the server.
    /// </summary>
    /// <param name="services">The application's services, after <c>AddSessions</c>.</param>
    /// <returns>The store, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOperationException">No store of the configured name is registered.</exception>
    public static ISessionStore? GetSessionStore(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = SessionStoreNames.Normalize(services.GetRequiredService<IOptions<SessionsOptions>>().Value.Store);
        return name == SessionStoreNames.Cookie ? null : services.GetRequiredKeyedService<ISessionStore>(name);
    }
}
