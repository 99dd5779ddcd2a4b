namespace SessionsServerless.Stores.DynamoDB;

/// <summary>
/// Options for <see cref="DynamoDbSessionStore"/>, bound from the <c>Sessions:DynamoDb</c> configuration section (so
/// <c>Sessions__DynamoDb__TableName</c> works as an environment variable).
/// </summary>
public sealed class DynamoDbSessionStoreOptions
{
    /// <summary>The table name used when none is configured: <c>sessions</c>.</summary>
    public const string DefaultTableName = "sessions";

    /// <summary>
    /// The table that holds the sessions (default <c>sessions</c>). Its partition key is <c>id</c> (String), and its Time to
    /// Live attribute should be <c>expiresAt</c>.
    /// </summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// The endpoint of a local DynamoDB-compatible server (dynalite, DynamoDB Local), such as <c>http://localhost:8000</c>,
    /// or <see langword="null"/> (the default) for DynamoDB in the region the standard AWS settings name (<c>AWS_REGION</c>,
    /// the profile) or the endpoint in <c>AWS_ENDPOINT_URL_DYNAMODB</c>. Only used when the app registers no
    /// <c>IAmazonDynamoDB</c> client of its own.
    /// </summary>
    public string? ServiceUrl { get; set; }
}
