using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>Finds or creates the <see cref="TableClient"/> the store uses.</summary>
internal static class AzureTableClientFactory
{
    /// <summary>
    /// The app's <see cref="TableClient"/>; else the app's <see cref="TableServiceClient"/>'s client for the table; else a
    /// client from the connection string; else one for the endpoint with the app's <see cref="TokenCredential"/> or
    /// <see cref="DefaultAzureCredential"/>.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Nothing says where the table is, or a setting is malformed.</exception>
    public static TableClient Create(IServiceProvider services, AzureTableSessionStoreOptions options)
    {
        if (services.GetService<TableClient>() is { } registeredTable)
        {
            return registeredTable;
        }

        if (services.GetService<TableServiceClient>() is { } registeredService)
        {
            return registeredService.GetTableClient(options.TableName);
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return FromConnectionString(options.ConnectionString, options.TableName);
        }

        if (options.Endpoint is { } endpoint)
        {
            AzureTableSessionStoreOptionsValidator.ThrowIfInvalidEndpoint(endpoint);
            var credential = services.GetService<TokenCredential>() ?? new DefaultAzureCredential();
            return new TableServiceClient(endpoint, credential, CreateClientOptions()).GetTableClient(options.TableName);
        }

        throw AzureTableSessionStoreOptionsValidator.Failure(
            "Sessions:Store is 'table' but nothing says where the table is. Set Sessions:AzureTables:ConnectionString " +
            "(UseDevelopmentStorage=true for Azurite, or the storage account's connection string), or Sessions:AzureTables:Endpoint " +
            "(https://<account>.table.core.windows.net) to connect with managed identity, or register a TableServiceClient.");
    }

    /// <summary>
    /// Retries suited to a request that waits for its session: three retries, 0.2 s apart and doubling, and 10 s per attempt
    /// (the SDK's defaults wait 0.8 s between retries and 100 s per attempt).
    /// </summary>
    public static TableClientOptions CreateClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    private static TableClient FromConnectionString(string connectionString, string tableName)
    {
        try
        {
            return new TableClient(connectionString, tableName, CreateClientOptions());
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            // The parser's message may quote the connection string; say what is wrong without repeating it.
            throw AzureTableSessionStoreOptionsValidator.Failure(
                "Sessions:AzureTables:ConnectionString is not a valid Azure Storage connection string. Use UseDevelopmentStorage=true " +
                "for Azurite, or copy the connection string from the storage account's Access keys page " +
                "(DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net).");
        }
    }
}
