using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>An app's services with the table store selected, built as an app would build them, without a web host.</summary>
internal static class StoreServices
{
    /// <summary>Services configured from <paramref name="settings"/> (keys under <c>Sessions:</c>), as appsettings.json would.</summary>
    public static ServiceProvider FromConfiguration(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Sessions:Store", AzureTableSessionStore.StoreName), .. settings])
            .Build();
        var collection = new ServiceCollection();
        collection.AddSessions(configuration).AddAzureTableStore();
        services?.Invoke(collection);
        return collection.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Services configured in code.</summary>
    public static ServiceProvider FromCode(Action<AzureTableSessionStoreOptions> configure, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddSessions(options => options.Store = AzureTableSessionStore.StoreName).AddAzureTableStore(configure);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(validateScopes: true);
    }
}
