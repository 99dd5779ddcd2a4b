using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SessionsServerless;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the <see cref="IDistributedCache"/> session store.</summary>
public static class DistributedCacheSessionsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="DistributedCacheStore"/> under the name <c>distributedcache</c>; <c>Sessions:Store =
    /// distributedcache</c> selects it. It keeps sessions in the app's <see cref="IDistributedCache"/> (register one, e.g.
    /// <c>AddStackExchangeRedisCache</c> or <c>AddDistributedSqlServerCache</c>). Last writer wins: see
    /// <see cref="DistributedCacheStore"/>. Options bind from <c>Sessions:DistributedCache</c> (<c>KeyPrefix</c>,
    /// <c>TimeToLiveWithoutExpiry</c>, <c>MaxSessionSize</c>); <paramref name="configure"/> runs after that.
    /// </summary>
    /// <param name="builder">The builder <c>AddSessions</c> returned.</param>
    /// <param name="configure">Sets the options in code.</param>
    /// <returns>The builder.</returns>
    public static SessionsBuilder AddDistributedCacheStore(this SessionsBuilder builder, Action<DistributedCacheStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<DistributedCacheStoreOptions>();
        if (builder.Configuration is { } configuration)
        {
            options.Bind(configuration.GetSection("DistributedCache"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddStore(DistributedCacheStore.StoreName, services => new DistributedCacheStore(
            services.GetService<IDistributedCache>() ?? throw new InvalidOperationException(
                "Sessions:Store is 'distributedcache' but the app registers no IDistributedCache. Register one (for example " +
                "builder.Services.AddStackExchangeRedisCache(...) or AddDistributedMemoryCache() for one server), or choose another store."),
            services.GetRequiredService<IOptions<DistributedCacheStoreOptions>>(),
            services.GetRequiredService<TimeProvider>()));
    }
}
