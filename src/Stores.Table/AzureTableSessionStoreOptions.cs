namespace SessionsServerless.Stores.AzureTables;

/// <summary>
/// Options for <see cref="AzureTableSessionStore"/> (configuration section <c>Sessions:AzureTables</c>, so
/// <c>Sessions__AzureTables__ConnectionString</c>, <c>Sessions__AzureTables__Endpoint</c> and
/// <c>Sessions__AzureTables__TableName</c> work as environment variables).
/// </summary>
/// <remarks>
/// The store connects with the first of: a <c>TableClient</c> registered in the app's services (used as it is, table
/// included), a <c>TableServiceClient</c> registered there, <see cref="ConnectionString"/>, or <see cref="Endpoint"/> with
/// a Microsoft Entra token (managed identity).
/// </remarks>
public sealed class AzureTableSessionStoreOptions
{
    /// <summary>The table used when <see cref="TableName"/> is not set: <c>sessions</c>.</summary>
    public const string DefaultTableName = "sessions";

    /// <summary>
    /// An Azure Storage connection string: <c>UseDevelopmentStorage=true</c> for Azurite on its default port, an account
    /// key or SAS connection string otherwise. It is a secret: keep it out of source control. Takes precedence over
    /// <see cref="Endpoint"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The table service address for managed identity, e.g. <c>https://myaccount.table.core.windows.net</c>; used when
    /// there is no <see cref="ConnectionString"/>. The token comes from the <c>TokenCredential</c> registered in the app's
    /// services, or else from <c>DefaultAzureCredential</c>. The identity needs the Storage Table Data Contributor role.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The table that holds the sessions (default <c>sessions</c>): 3 to 63 letters and digits, starting with a letter.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Whether the store creates its table when it finds it missing (default <see langword="false"/>). Meant for local
    /// development with Azurite, whose in-memory mode forgets tables on restart; in production the table comes from the
    /// infrastructure template, and the app's identity then needs no right to create tables.
    /// </summary>
    public bool CreateTableIfNotExists { get; set; }
}
