using SessionsServerless;
using SessionsServerless.Stores.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis session store.</summary>
public static class RedisSessionsBuilderExtensions
{
    /// <summary>
    /// Registers the Redis store under the name <c>redis</c>; <c>Sessions:Store = redis</c> selects it. Its options bind
    /// from <c>Sessions:Redis</c> (<c>Configuration</c>, <c>KeyPrefix</c>, <c>TimeToLiveWithoutExpiry</c>,
    /// <c>MaxSessionSize</c>) when the sessions were added from configuration; <paramref name="configure"/> runs after that.
    /// </summary>
    /// <remarks>
    /// The store uses the app's <c>IConnectionMultiplexer</c> when one is registered; otherwise it connects with
    /// <see cref="RedisSessionStoreOptions.Configuration"/>. Registering it costs nothing while another store is selected;
    /// when <c>Sessions:Store</c> selects it, the options are checked and the connection made as the app starts.
    /// </remarks>
    /// <param name="builder">The builder <c>AddSessions</c> returned.</param>
    /// <param name="configure">Sets the options in code, e.g. the configuration string.</param>
    /// <returns>The builder.</returns>
    public static SessionsBuilder AddRedisStore(this SessionsBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<RedisSessionStoreOptions>();
        if (builder.Configuration is { } configuration)
        {
            options.Bind(configuration.GetSection("Redis"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddStore(RedisSessionStore.StoreName, RedisSessionStore.Create);
    }
}
