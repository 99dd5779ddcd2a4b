using Microsoft.Extensions.Options;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>Checks the Azure Table store's options when the store is created, and says how to fix each problem.</summary>
internal static class AzureTableSessionStoreOptionsValidator
{
    private const int MinimumTableNameLength = 3;
    private const int MaximumTableNameLength = 63;

    /// <summary>Checks what the store needs whatever client it uses: the table name.</summary>
    /// <exception cref="OptionsValidationException">The options are not valid; the message says what to set.</exception>
    public static void ThrowIfInvalid(AzureTableSessionStoreOptions options)
    {
        if (!IsValidTableName(options.TableName))
        {
            throw Failure(
                $"Sessions:AzureTables:TableName must be {MinimumTableNameLength} to {MaximumTableNameLength} letters and digits starting " +
                $"with a letter, and not 'tables' (an Azure table name); leave it unset for '{AzureTableSessionStoreOptions.DefaultTableName}'.");
        }
    }

    /// <summary>Checks the endpoint used for managed identity.</summary>
    /// <exception cref="OptionsValidationException">The endpoint is not an absolute https address.</exception>
    public static void ThrowIfInvalidEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw Failure(
                "Sessions:AzureTables:Endpoint must be the table service's https address, such as " +
                "https://myaccount.table.core.windows.net (Microsoft Entra tokens are only sent over https). For Azurite or an " +
                "account key, set Sessions:AzureTables:ConnectionString instead.");
        }
    }

    public static OptionsValidationException Failure(string message) =>
        new(Options.DefaultName, typeof(AzureTableSessionStoreOptions), [message]);

    private static bool IsValidTableName(string? name) =>
        name is { Length: >= MinimumTableNameLength and <= MaximumTableNameLength }
        && char.IsAsciiLetter(name[0])
        && name.All(char.IsAsciiLetterOrDigit)
        && !string.Equals(name, "tables", StringComparison.OrdinalIgnoreCase);
}
