using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>
/// Turns what the DynamoDB client throws into <see cref="SessionStoreException"/>s that name the table and the fix. The
/// messages never contain a session id or key; the client's exception is kept as the inner exception.
/// </summary>
internal sealed class DynamoDbStoreErrors
{
    /// <summary>DynamoDB's item size limit, attribute names and values included.</summary>
    public const int MaxItemBytes = 400 * 1024;

    /// <summary>
    /// What an item holds besides the session JSON, rounded up: the attribute names, the key (64 characters), the version,
    /// the expiry and the write token.
    /// </summary>
    public const int ItemOverhead = 256;

    /// <summary>Whether DynamoDB refused an item as too large (the check before sending counts conservatively, so this is a backstop).</summary>
    public static bool IsItemTooLarge(Exception exception) =>
        exception is AmazonServiceException { ErrorCode: "ValidationException" } service
        && service.Message.Contains("Item size", StringComparison.OrdinalIgnoreCase);

    /// <summary>The oversize error for an item holding <paramref name="data"/>.</summary>
    public static SessionTooLargeException TooLarge(string data, Exception? innerException = null) =>
        new(Encoding.UTF8.GetByteCount(data) + ItemOverhead, MaxItemBytes, DynamoDbSessionStore.StoreName, innerException);

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException", "Throttling",
    };

    private static readonly HashSet<string> RejectedCredentialCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
        "MissingAuthenticationTokenException", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch",
    };

    private readonly string _table;
    private readonly string _location;

    /// <param name="tableName">The table the store uses.</param>
    /// <param name="location">Where the client sends requests, for messages: "in region eu-west-1", "at http://localhost:8000/".</param>
    public DynamoDbStoreErrors(string tableName, string location)
    {
        _table = tableName;
        _location = location;
    }

    /// <summary>Where a client sends its requests, in words.</summary>
    public static string DescribeLocation(IClientConfig config) =>
        !string.IsNullOrEmpty(config.ServiceURL) ? $"at {config.ServiceURL}"
        : config.RegionEndpoint is { } region ? $"in region {region.SystemName}"
        : "in the configured AWS region";

    /// <summary>
    /// The store exception for <paramref name="exception"/>, or <see langword="null"/> when it is not a DynamoDB or network
    /// failure (it then propagates unchanged).
    /// </summary>
    /// <param name="exception">What the client threw.</param>
    public SessionStoreException? Translate(Exception exception) => exception switch
    {
        ResourceNotFoundException => new SessionStoreException(
            $"The DynamoDB table '{_table}' was not found {_location}. Create it with partition key 'id' (String) and Time to Live " +
            $"on 'expiresAt': deploy the app's template.yaml, or for local development call DynamoDbSessionTable.CreateAsync(client, \"{_table}\"). " +
            "If the table has another name or lives in another region, set Sessions:DynamoDb:TableName or AWS_REGION.",
            exception),
        AmazonServiceException service when ThrottlingCodes.Contains(service.ErrorCode ?? string.Empty) => new SessionStoreException(
            $"DynamoDB kept throttling requests to table '{_table}' {_location} after the SDK's retries ({service.ErrorCode}). Use on-demand " +
            "capacity (BillingMode PAY_PER_REQUEST, as template.yaml sets) or raise the table's provisioned capacity; many concurrent " +
            "requests on one session also concentrate load on one partition.",
            exception),
        AmazonServiceException { ErrorCode: "AccessDeniedException" } => new SessionStoreException(
            $"Access to the DynamoDB table '{_table}' {_location} was denied. Allow the app's role dynamodb:GetItem, dynamodb:PutItem and " +
            "dynamodb:DeleteItem on the table (the repository's template.yaml grants exactly these), and check Sessions:DynamoDb:TableName.",
            exception),
        AmazonServiceException service when RejectedCredentialCodes.Contains(service.ErrorCode ?? string.Empty) => new SessionStoreException(
            $"DynamoDB {_location} rejected the app's AWS credentials ({service.ErrorCode}) for table '{_table}'. Check the credentials the " +
            "app runs with (the function's role, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and the clock.",
            exception),
        AmazonServiceException { ErrorCode: "ValidationException" } service when service.Message.Contains("schema", StringComparison.OrdinalIgnoreCase) => new SessionStoreException(
            $"The DynamoDB table '{_table}' {_location} does not have the session table's key: its partition key must be 'id' (String) " +
            "with no sort key. Point Sessions:DynamoDb:TableName at a session table, or create one from template.yaml.",
            exception),
        AmazonServiceException service => new SessionStoreException(
            $"DynamoDB {_location} refused a request on table '{_table}' ({service.ErrorCode ?? "no error code"}, HTTP " +
            $"{(int)service.StatusCode}). See the inner exception for DynamoDB's message.",
            exception),
        _ when IsNetworkFailure(exception) => new SessionStoreException(
            $"DynamoDB could not be reached {_location} (table '{_table}') after the SDK's retries. Check that the server is running and " +
            "reachable, and Sessions:DynamoDb:ServiceUrl or AWS_ENDPOINT_URL_DYNAMODB when set.",
            exception),
        AmazonClientException client when client.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal) => new SessionStoreException(
            $"No AWS credentials were found for the DynamoDB table '{_table}'. On AWS the function's role provides them; elsewhere set " +
            "AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values work for a local server such as dynalite).",
            exception),
        AmazonClientException => new SessionStoreException(
            $"The DynamoDB client could not send a request for table '{_table}' {_location}. See the inner exception.",
            exception),
        _ => null,
    };

    private static bool IsNetworkFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or SocketException or IOException or TimeoutException or TaskCanceledException)
            {
                return true;
            }
        }

        return false;
    }
}
