using SessionsServerless;
using SessionsServerless.Stores.AzureTables;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Azure Table Storage session store.</summary>
public static class AzureTableSessionsBuilderExtensions
{
    /// <summary>
    /// Registers the Azure Table store under the name <c>table</c>; <c>Sessions:Store = table</c> selects it. Its options
    /// bind from <c>Sessions:AzureTables</c> (<c>ConnectionString</c>, <c>Endpoint</c>, <c>TableName</c>,
    /// <c>CreateTableIfNotExists</c>) when the sessions were added from configuration; <paramref name="configure"/> runs
    /// after that.
    /// </summary>
    /// <remarks>
    /// The store uses a <c>TableClient</c> or <c>TableServiceClient</c> registered in the app's services when there is one;
    /// otherwise it connects with the connection string, or with the endpoint and managed identity (the registered
    /// <c>TokenCredential</c>, else <c>DefaultAzureCredential</c>). Registering it costs nothing while another store is
    /// selected; when <c>Sessions:Store</c> selects it, the options are checked as the app starts.
    /// </remarks>
    /// <param name="builder">The builder <c>AddSessions</c> returned.</param>
    /// <param name="configure">Sets the options in code, e.g. the connection string.</param>
    /// <returns>The builder.</returns>
    public static SessionsBuilder AddAzureTableStore(this SessionsBuilder builder, Action<AzureTableSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AzureTableSessionStoreOptions>();
        if (builder.Configuration is { } configuration)
        {
            options.Bind(configuration.GetSection("AzureTables"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddStore(AzureTableSessionStore.StoreName, AzureTableSessionStore.Create);
    }
}
