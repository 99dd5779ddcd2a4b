using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// Failures become <see cref="SessionStoreException"/>s that name the table and the fix, and never carry a key or a
/// secret: a missing table, a refused account key, a service that cannot be reached.
/// </summary>
public sealed class StoreErrorTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Json = """{"_data":{},"_expire":null,"_delete":false,"_accessed":null}""";

    [Fact]
    public async Task Every_operation_on_a_missing_table_fails_with_a_message_that_names_the_table_and_how_to_create_it()
    {
        string name = AzuriteServer.NewTableName();
        using var subject = StoreUnderTest.Over(azurite.TableClient(name));
        string key = StoreUnderTest.NewKey();

        SessionStoreException[] failures =
        [
            await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.GetAsync(key, default)),
            await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.SetAsync(key, subject.Session(Json), default)),
            await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.SetAsync(key, subject.Session(Json, version: "W/\"datetime'2030-01-01T12%3A00%3A00Z'\""), default)),
            await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.DeleteAsync(key, default)),
            await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.PurgeExpiredAsync(default)),
        ];

        Assert.All(failures, failure =>
        {
            Assert.IsNotType<SessionConcurrencyException>(failure);
            Assert.Contains($"The Azure table '{name}' does not exist at http://127.0.0.1:{azurite.Port}", failure.Message, StringComparison.Ordinal);
            Assert.Contains($"az storage table create --name {name}", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Sessions:AzureTables:CreateTableIfNotExists", failure.Message, StringComparison.Ordinal);
            AssertNoSecrets(failure, key);
        });

        // Without CreateTableIfNotExists the store leaves the table to the infrastructure.
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => subject.Table.GetAccessPoliciesAsync());
    }

    [Fact]
    public async Task With_CreateTableIfNotExists_the_store_creates_its_missing_table_once_and_works()
    {
        using var subject = StoreUnderTest.Over(azurite.TableClient(AzuriteServer.NewTableName()), createTableIfNotExists: true);
        string key = StoreUnderTest.NewKey();

        Assert.Null(await subject.Store.GetAsync(key, default));
        await subject.Store.SetAsync(key, subject.Session(Json), default);

        Assert.Equal(Json, (await subject.Store.GetAsync(key, default))!.Data);
        Assert.Equal(0, await subject.Store.PurgeExpiredAsync(default));
        var created = Assert.Single(subject.Logs.Records, record => record.Message.Contains("was missing and has been created", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, created.Level);
    }

    [Fact]
    public async Task A_write_to_a_table_deleted_under_a_running_app_recreates_it_when_allowed()
    {
        using var subject = StoreUnderTest.Over(await azurite.CreateTableAsync(), createTableIfNotExists: true);
        string key = StoreUnderTest.NewKey();
        string? version = await subject.Store.SetAsync(key, subject.Session(Json), default);
        await subject.Table.DeleteAsync();

        // The session went with the table: an update of it is a lost race, as if it had been deleted.
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => subject.Store.SetAsync(key, subject.Session(Json, version: version), default));
        string fresh = StoreUnderTest.NewKey();
        await subject.Store.SetAsync(fresh, subject.Session(Json), default);

        Assert.Equal(fresh, Assert.Single(await subject.EntitiesAsync()).RowKey);
    }

    [Fact]
    public async Task A_refused_account_key_fails_with_a_message_that_says_which_credentials_to_check()
    {
        string wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        var table = await azurite.CreateTableAsync();
        using var subject = StoreUnderTest.Over(new Azure.Data.Tables.TableClient(azurite.ConnectionStringWithKey(wrongKey), table.Name));
        string key = StoreUnderTest.NewKey();

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => subject.Store.GetAsync(key, default));

        Assert.Contains($"refused access to table '{table.Name}' (403)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("check the account key or the SAS", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Storage Table Data Contributor", failure.Message, StringComparison.Ordinal);
        AssertNoSecrets(failure, key, wrongKey);
    }

    [Fact]
    public async Task A_service_that_cannot_be_reached_fails_after_the_retries_with_a_message_that_says_to_check_it_is_running()
    {
        await using var gone = new AzuriteServer();
        await gone.InitializeAsync();
        string connectionString = gone.ConnectionString;
        await gone.StopAsync();
        using var services = StoreServices.FromCode(options => options.ConnectionString = connectionString);
        var store = services.GetSessionStore()!;
        string key = StoreUnderTest.NewKey();

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(key, default));

        Assert.Contains($"Azure Table Storage at http://127.0.0.1:{gone.Port} (account 'devstoreaccount1') could not be reached for table 'sessions'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Check that the storage account (or Azurite) is running", failure.Message, StringComparison.Ordinal);
        AssertNoSecrets(failure, key);
    }

    [Fact]
    public async Task A_cancelled_call_is_reported_as_cancelled_not_as_a_store_failure()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subject.Store.GetAsync(StoreUnderTest.NewKey(), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subject.Store.PurgeExpiredAsync(cancelled.Token));
    }

    /// <summary>Neither the message nor anything it wraps carries the key or the account key.</summary>
    private static void AssertNoSecrets(Exception failure, string key, string accountKey = AzuriteServer.AccountKey)
    {
        string everything = failure.ToString();
        Assert.DoesNotContain(key, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(accountKey, everything, StringComparison.Ordinal);
    }
}
