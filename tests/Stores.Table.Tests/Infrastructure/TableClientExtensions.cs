using Azure.Data.Tables;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

internal static class TableClientExtensions
{
    /// <summary>Every entity in the table, as the service holds it.</summary>
    public static async Task<List<TableEntity>> EntitiesAsync(this TableClient table)
    {
        var entities = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            entities.Add(entity);
        }

        return entities;
    }
}
