using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>An <see cref="AzureTableSessionStore"/> over a table on Azurite, with a clock the test moves and its logs kept.</summary>
internal sealed class StoreUnderTest : IDisposable
{
    private readonly ILoggerFactory _loggers;

    private StoreUnderTest(TableClient table, bool createTableIfNotExists)
    {
        Table = table;
        _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Store = new AzureTableSessionStore(
            table,
            Options.Create(new AzureTableSessionStoreOptions { CreateTableIfNotExists = createTableIfNotExists }),
            Clock,
            _loggers.CreateLogger<AzureTableSessionStore>());
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public CapturingLoggerProvider Logs { get; } = new();

    public TableClient Table { get; }

    public AzureTableSessionStore Store { get; }

    /// <summary>A store over a new, empty table of its own.</summary>
    public static async Task<StoreUnderTest> CreateAsync(AzuriteServer azurite, TableClientOptions? options = null) =>
        new(await azurite.CreateTableAsync(options), createTableIfNotExists: false);

    /// <summary>A store over <paramref name="table"/>, which may not exist.</summary>
    public static StoreUnderTest Over(TableClient table, bool createTableIfNotExists = false) => new(table, createTableIfNotExists);

    /// <summary>A key as the middleware passes it: the lowercase hex SHA-256 of a session id.</summary>
    public static string NewKey() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())));

    /// <summary>A key whose partition (its first two characters) is <paramref name="partition"/>.</summary>
    public static string NewKeyIn(string partition) => partition + NewKey()[2..];

    public StoredSession Session(string data, TimeSpan? expiresIn = null, string? version = null) =>
        new() { Data = data, ExpiresAt = expiresIn is { } span ? Clock.GetUtcNow() + span : null, Version = version };

    /// <summary>Every entity in the table, as the service holds it.</summary>
    public Task<List<TableEntity>> EntitiesAsync() => Table.EntitiesAsync();

    public void Dispose() => _loggers.Dispose();
}
