using SessionsServerless;
using SessionsServerless.Stores.DynamoDB;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the DynamoDB session store.</summary>
public static class DynamoDbSessionsBuilderExtensions
{
    /// <summary>
    /// Registers the DynamoDB store under the name <c>dynamodb</c>; <c>Sessions:Store = dynamodb</c> selects it. Its options
    /// bind from <c>Sessions:DynamoDb</c> (<c>TableName</c>, <c>ServiceUrl</c>) when the sessions were added from
    /// configuration; <paramref name="configure"/> runs after that.
    /// </summary>
    /// <remarks>
    /// The store uses the app's <c>IAmazonDynamoDB</c> when one is registered. Otherwise it creates its own client from
    /// <see cref="DynamoDbSessionStoreOptions.ServiceUrl"/> and the standard AWS settings (<c>AWS_REGION</c>, the
    /// credential chain, <c>AWS_ENDPOINT_URL_DYNAMODB</c>). The options are checked when the store is first used, which is
    /// at startup when <c>Sessions:Store</c> selects it.
    /// </remarks>
    /// <param name="builder">The builder <c>AddSessions</c> returned.</param>
    /// <param name="configure">Sets the options in code, e.g. the table name.</param>
    /// <returns>The builder.</returns>
    public static SessionsBuilder AddDynamoDbStore(this SessionsBuilder builder, Action<DynamoDbSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<DynamoDbSessionStoreOptions>();
        if (builder.Configuration is { } configuration)
        {
            options.Bind(configuration.GetSection("DynamoDb"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddStore(DynamoDbSessionStore.StoreName, DynamoDbSessionStore.Create);
    }
}
