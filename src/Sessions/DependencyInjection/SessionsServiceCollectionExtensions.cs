using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionsServerless;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds sessions to an application's services.</summary>
public static class SessionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds sessions configured in code. The options are checked when the app starts; a problem stops it with a message
    /// that says what to set.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the options, e.g. the encryption key and the idle expiry.</param>
    /// <returns>A builder for adding stores.</returns>
    public static SessionsBuilder AddSessions(this IServiceCollection services, Action<SessionsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SessionsOptions>().ValidateOnStart();
        services.AddOptions<MemoryStoreOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionsOptions>, SessionOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsOptions>, SessionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<SessionMetrics>();
        services.TryAddSingleton<SessionValueSerializer>();
        services.TryAddSingleton<SessionRuntime>();
        services.TryAddSingleton<SessionLifecycle>();
        services.TryAddKeyedSingleton<ISessionStore, MemoryStore>(SessionStoreNames.Memory);
        return new SessionsBuilder(services, null);
    }

    /// <summary>
    /// Adds sessions bound from configuration: the <c>Sessions</c> section (pass the app's configuration or the section
    /// itself), so <c>Sessions__EncryptionKey</c>, <c>Sessions__ExpireAfterSeconds</c> and <c>Sessions__Store</c> work as
    /// environment variables. <paramref name="configure"/> runs after binding.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The app's configuration, or its <c>Sessions</c> section.</param>
    /// <param name="configure">Further settings applied after the configuration, e.g. JSON metadata.</param>
    /// <returns>A builder for adding stores; store packages bind their own subsections from it.</returns>
    public static SessionsBuilder AddSessions(this IServiceCollection services, IConfiguration configuration, Action<SessionsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration section = configuration is IConfigurationSection { Key: SessionsOptions.SectionName } or IConfigurationSection
            ? configuration
            : configuration.GetSection(SessionsOptions.SectionName);
        services.Configure<SessionsOptions>(section);
        services.Configure<MemoryStoreOptions>(section.GetSection("Memory"));
        services.AddSessions(configure);
        return new SessionsBuilder(services, section);
    }
}
