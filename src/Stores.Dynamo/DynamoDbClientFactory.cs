using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>Creates the store's own DynamoDB client when the app registers none.</summary>
internal static class DynamoDbClientFactory
{
    /// <summary>
    /// A client for <see cref="DynamoDbSessionStoreOptions.ServiceUrl"/> when set, otherwise for what the standard AWS
    /// settings name: the region (<c>AWS_REGION</c>, the profile), <c>AWS_ENDPOINT_URL_DYNAMODB</c>, the credential chain,
    /// and the number of attempts (<c>AWS_MAX_ATTEMPTS</c>, the profile's <c>max_attempts</c>, else 3).
    /// </summary>
    /// <exception cref="InvalidOperationException">The AWS settings name no region and no endpoint.</exception>
    public static AmazonDynamoDBClient Create(DynamoDbSessionStoreOptions options)
    {
        var config = new AmazonDynamoDBConfig();
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }

        // Unless MaxErrorRetry is set explicitly, the DynamoDB client retries 10 times with backoff of up to 20 s each,
        // ignoring AWS_MAX_ATTEMPTS: about 100 s per request while DynamoDB is unreachable. Sessions are read and written
        // on the request path, so set the number the standard settings give explicitly.
        config.MaxErrorRetry = config.MaxErrorRetry;

        try
        {
            return new AmazonDynamoDBClient(config);
        }
        catch (AmazonClientException exception)
        {
            throw new InvalidOperationException(
                $"The DynamoDB session store could not create a DynamoDB client: {exception.Message}. Set AWS_REGION (Lambda sets it) " +
                "or a region in the AWS profile; for a local server set Sessions:DynamoDb:ServiceUrl (e.g. http://localhost:8000) or " +
                "AWS_ENDPOINT_URL_DYNAMODB; or register an IAmazonDynamoDB client in the app's services.",
                exception);
        }
    }
}
