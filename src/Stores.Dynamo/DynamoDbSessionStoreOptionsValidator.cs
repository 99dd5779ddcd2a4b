using Microsoft.Extensions.Options;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>Checks the DynamoDB store's options when the store is created, and says how to fix each problem.</summary>
internal static class DynamoDbSessionStoreOptionsValidator
{
    private const int MinimumTableNameLength = 3;
    private const int MaximumTableNameLength = 255;

    /// <exception cref="OptionsValidationException">The options are not valid; the message says what to set.</exception>
    public static void ThrowIfInvalid(DynamoDbSessionStoreOptions options)
    {
        var failures = new List<string>();
        if (!IsValidTableName(options.TableName))
        {
            failures.Add(
                $"Sessions:DynamoDb:TableName must be {MinimumTableNameLength} to {MaximumTableNameLength} letters, digits, '_', '-' or '.' " +
                $"(a DynamoDB table name); leave it unset for '{DynamoDbSessionStoreOptions.DefaultTableName}'.");
        }

        if (!string.IsNullOrWhiteSpace(options.ServiceUrl) && !IsHttpUrl(options.ServiceUrl))
        {
            failures.Add(
                "Sessions:DynamoDb:ServiceUrl must be an absolute http or https URL, such as http://localhost:8000 for a local " +
                "server; leave it unset for DynamoDB in the configured AWS region.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DynamoDbSessionStoreOptions), failures);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsValidTableName(string? tableName) =>
        tableName is { Length: >= MinimumTableNameLength and <= MaximumTableNameLength }
        && tableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
