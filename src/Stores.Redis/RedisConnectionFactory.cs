using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis;

/// <summary>Finds or creates the connection the store uses.</summary>
internal static class RedisConnectionFactory
{
    /// <summary>
    /// The app's <see cref="IConnectionMultiplexer"/> (owned by the app), or else a connection made from
    /// <see cref="RedisSessionStoreOptions.Configuration"/> (owned by the store).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Nothing says where Redis is, or the configuration string is malformed.</exception>
    public static (IConnectionMultiplexer Connection, bool Owned) Resolve(IServiceProvider services, RedisSessionStoreOptions options)
    {
        if (services.GetService<IConnectionMultiplexer>() is { } registered)
        {
            return (registered, false);
        }

        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            throw RedisSessionStoreOptionsValidator.Failure(
                "Sessions:Store is 'redis' but nothing says where Redis is. Set Sessions:Redis:Configuration to a StackExchange.Redis " +
                "configuration string (localhost:6379 for a local server; for ElastiCache or Azure Cache for Redis the host, port, " +
                "ssl=true, password= and abortConnect=false), or register an IConnectionMultiplexer in the app's services.");
        }

        return (ConnectionMultiplexer.Connect(Parse(options.Configuration)), true);
    }

    /// <summary>
    /// Parses the configuration string. The store keeps connecting in the background when Redis is down at startup
    /// (<c>abortConnect=false</c>, whatever the string says): requests get 503 until it is reachable, instead of the app
    /// failing to start.
    /// </summary>
    public static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or NotSupportedException or InvalidOperationException)
        {
            // The parser's message may quote the string, and so a password: say what is wrong without repeating it.
            throw RedisSessionStoreOptionsValidator.Failure(
                "Sessions:Redis:Configuration is not a valid StackExchange.Redis configuration string: an option in it is unknown or " +
                "has a value of the wrong kind (the value is not repeated here, as the string may hold a password). The form is " +
                "host:port[,host:port...][,option=value...], e.g. my-cache.redis.cache.windows.net:6380,password=...,ssl=true,abortConnect=false.");
        }

        if (options.EndPoints.Count == 0)
        {
            throw RedisSessionStoreOptionsValidator.Failure(
                "Sessions:Redis:Configuration names no server: start it with host:port (e.g. localhost:6379), before any option=value.");
        }

        options.AbortOnConnectFail = false;
        return options;
    }
}
