using System.Net.Http;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Identity;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>
/// Turns what the Azure SDK throws into <see cref="SessionStoreException"/>s that name the table and the fix. Messages
/// carry the table's name and the service address (scheme, host and port only), never a key, a connection string or a
/// session id.
/// </summary>
internal sealed class AzureTableStoreErrors
{
    private static readonly string TableNotFound = TableErrorCode.TableNotFound.ToString();

    private readonly string _table;
    private readonly string _location;

    public AzureTableStoreErrors(TableClient client)
    {
        _table = client.Name;
        _location = $"{client.Uri.GetLeftPart(UriPartial.Authority)} (account '{client.AccountName}')";
    }

    public SessionStoreException TableMissing() => new(
        $"The Azure table '{_table}' does not exist at {_location}. Create it with the app's infrastructure template or " +
        $"`az storage table create --name {_table}`, or set Sessions:AzureTables:CreateTableIfNotExists to true for local development.");

    /// <summary>
    /// The oversize error for session JSON of <paramref name="length"/> UTF-16 code units: sizes in bytes as the service
    /// stores strings (two per code unit).
    /// </summary>
    public static SessionTooLargeException TooLarge(int length, Exception? innerException = null) =>
        new(length * 2, SessionEntity.MaxDataLength * 2, AzureTableSessionStore.StoreName, innerException);

    /// <summary>Whether the service refused an entity or a request as too large.</summary>
    public static bool IsTooLarge(RequestFailedException failed) =>
        failed.Status == 413
        || failed.ErrorCode == TableErrorCode.EntityTooLarge.ToString()
        || failed.ErrorCode == TableErrorCode.PropertyValueTooLarge.ToString();

    /// <summary>The store exception for <paramref name="exception"/>, or <see langword="null"/> to let it pass (cancellation).</summary>
    public SessionStoreException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is SessionStoreException or SessionTooLargeException)
        {
            return null;
        }

        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return exception switch
        {
            RequestFailedException failed when IsTableMissing(failed) => TableMissing(),
            RequestFailedException { Status: 401 or 403 } failed => AccessRefused(failed),
            RequestFailedException { Status: 0 } failed => Unreachable(failed),
            RequestFailedException { Status: 429 or >= 500 } failed => new SessionStoreException(
                $"Azure Table Storage at {_location} was busy or failed ({Describe(failed)}) on table '{_table}', " +
                "and the retries ran out. Try again; if it lasts, check the storage account's health and metrics in the Azure portal.",
                failed),
            RequestFailedException failed => Refused(failed, "the service refused the request"),
            AuthenticationFailedException => new SessionStoreException(
                $"No Microsoft Entra token could be obtained for Azure Table Storage at {_location}. In Azure, enable a managed " +
                "identity on the app (and AZURE_CLIENT_ID for a user-assigned one); locally, sign in with `az login`; or set " +
                "Sessions:AzureTables:ConnectionString instead of Sessions:AzureTables:Endpoint.",
                exception),
            AggregateException aggregate when aggregate.InnerExceptions.All(IsConnectionFailure) => Unreachable(aggregate),
            _ when IsConnectionFailure(exception) => Unreachable(exception),
            _ => null,
        };
    }

    /// <summary>Whether the service said the table does not exist.</summary>
    public static bool IsTableMissing(RequestFailedException failed) => failed.Status == 404 && failed.ErrorCode == TableNotFound;

    /// <summary>Whether a response the SDK did not throw for (a 404 from a read or a delete) says the table does not exist.</summary>
    public static bool IsTableMissing(Response response) =>
        response.Status == 404 && response.Headers.TryGetValue("x-ms-error-code", out string? code) && code == TableNotFound;

    /// <summary>Whether the service refused to add an entity because one with its keys exists.</summary>
    public static bool IsAlreadyExists(RequestFailedException failed) =>
        failed.Status == 409 && failed.ErrorCode == TableErrorCode.EntityAlreadyExists.ToString();

    /// <summary>The status and, when the service sent one, the error code: <c>404 TableNotFound</c>, or <c>403</c>.</summary>
    private static string Describe(RequestFailedException failed) =>
        string.IsNullOrEmpty(failed.ErrorCode) ? $"{failed.Status}" : $"{failed.Status} {failed.ErrorCode}";

    private static bool IsConnectionFailure(Exception exception) =>
        exception is RequestFailedException { Status: 0 } or HttpRequestException or TimeoutException or OperationCanceledException;

    private SessionStoreException AccessRefused(RequestFailedException failed) => new(
        $"Azure Table Storage at {_location} refused access to table '{_table}' ({Describe(failed)}). With " +
        "Sessions:AzureTables:ConnectionString, check the account key or the SAS (table permissions read, add, update, delete " +
        "and query, not expired); with Sessions:AzureTables:Endpoint, give the app's identity the Storage Table Data " +
        "Contributor role on the storage account.",
        failed);

    private SessionStoreException Unreachable(Exception exception) => new(
        $"Azure Table Storage at {_location} could not be reached for table '{_table}', so the session could not be read or saved. " +
        "Check that the storage account (or Azurite) is running and reachable, and check Sessions:AzureTables:ConnectionString " +
        "or Sessions:AzureTables:Endpoint.",
        exception);

    private SessionStoreException Refused(RequestFailedException failed, string what) => new(
        $"Azure Table Storage at {_location} refused a request on table '{_table}': {what} ({Describe(failed)}).",
        failed);
}
