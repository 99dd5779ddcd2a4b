using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary><see cref="AzureTableSessionStore.PurgeExpiredAsync"/>, which the Azure Functions timer runs.</summary>
public sealed class PurgeTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task Purge_deletes_exactly_the_expired_sessions_and_reports_how_many()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        var expired = Enumerable.Range(0, 5).Select(_ => StoreUnderTest.NewKey()).ToList();
        var live = Enumerable.Range(0, 3).Select(_ => StoreUnderTest.NewKey()).ToList();
        var everlasting = Enumerable.Range(0, 2).Select(_ => StoreUnderTest.NewKey()).ToList();
        foreach (string key in expired)
        {
            await subject.Store.SetAsync(key, subject.Session("{}", TimeSpan.FromMinutes(10)), default);
        }

        foreach (string key in live)
        {
            await subject.Store.SetAsync(key, subject.Session("{}", TimeSpan.FromMinutes(30)), default);
        }

        foreach (string key in everlasting)
        {
            await subject.Store.SetAsync(key, subject.Session("{}"), default);
        }

        subject.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(5, await subject.Store.PurgeExpiredAsync(default));

        var remaining = (await subject.EntitiesAsync()).Select(entity => entity.RowKey).Order(StringComparer.Ordinal);
        Assert.Equal(live.Concat(everlasting).Order(StringComparer.Ordinal), remaining);
        Assert.Equal(0, await subject.Store.PurgeExpiredAsync(default));
        Assert.Contains(subject.Logs.Records, record => record.Level == LogLevel.Information && record.Message.Contains("Purged 5 expired sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Purge_deletes_more_sessions_than_one_transaction_or_one_page_holds()
    {
        var recorder = new RequestRecorder();
        using var subject = await StoreUnderTest.CreateAsync(azurite, recorder.ClientOptions());
        var expiresAt = subject.Clock.GetUtcNow().AddMinutes(-1);

        // 250 in one partition (three transactions' worth) and 1,000 spread over 250 more, so the query needs two pages.
        await AddExpiredAsync(subject.Table, Enumerable.Range(0, 250).Select(_ => StoreUnderTest.NewKeyIn("ab")), expiresAt);
        await AddExpiredAsync(subject.Table, Enumerable.Range(0, 1000).Select(n => StoreUnderTest.NewKeyIn(Partition(n % 250))), expiresAt);
        await subject.Store.SetAsync(StoreUnderTest.NewKeyIn("ab"), subject.Session("{}", TimeSpan.FromMinutes(5)), default);
        recorder.Clear();

        Assert.Equal(1250, await subject.Store.PurgeExpiredAsync(default));

        Assert.Single(await subject.EntitiesAsync());
        Assert.True(recorder.Reads >= 2, $"expected at least two query pages, saw {recorder.Reads}");
        Assert.All(recorder.Requests.Where(request => !request.StartsWith("GET ", StringComparison.Ordinal)), request => Assert.EndsWith("/$batch", request, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_renewed_while_the_purge_runs_is_kept_and_not_counted()
    {
        var recorder = new RequestRecorder();
        using var subject = await StoreUnderTest.CreateAsync(azurite, recorder.ClientOptions());
        var keys = await FourExpiredSessionsAsync(subject, "c7");
        string renewed = keys[2];

        // A request renews one session between the purge's query and its deletions.
        BeforeFirstTransaction(recorder, () => azurite.TableClient(subject.Table.Name).UpdateEntityAsync(
            new TableEntity("c7", renewed) { ["Data"] = "{}", ["ExpiresAt"] = subject.Clock.GetUtcNow().AddHours(1) },
            ETag.All,
            TableUpdateMode.Replace));

        Assert.Equal(3, await subject.Store.PurgeExpiredAsync(default));

        Assert.Equal(renewed, Assert.Single(await subject.EntitiesAsync()).RowKey);
        Assert.NotNull(await subject.Store.GetAsync(renewed, default));
    }

    [Fact]
    public async Task A_session_deleted_while_the_purge_runs_is_not_counted()
    {
        var recorder = new RequestRecorder();
        using var subject = await StoreUnderTest.CreateAsync(azurite, recorder.ClientOptions());
        var keys = await FourExpiredSessionsAsync(subject, "5e");

        // A logout removes one session between the purge's query and its deletions.
        BeforeFirstTransaction(recorder, () => azurite.TableClient(subject.Table.Name).DeleteEntityAsync("5e", keys[1]));

        Assert.Equal(3, await subject.Store.PurgeExpiredAsync(default));

        Assert.Empty(await subject.EntitiesAsync());
    }

    /// <summary>Four sessions in one partition (so one transaction deletes them), expired a minute ago.</summary>
    private static async Task<List<string>> FourExpiredSessionsAsync(StoreUnderTest subject, string partition)
    {
        var keys = Enumerable.Range(0, 4).Select(_ => StoreUnderTest.NewKeyIn(partition)).ToList();
        foreach (string key in keys)
        {
            await subject.Store.SetAsync(key, subject.Session("{}", TimeSpan.FromMinutes(1)), default);
        }

        subject.Clock.Advance(TimeSpan.FromMinutes(2));
        return keys;
    }

    /// <summary>Runs <paramref name="meanwhile"/> once, just before the purge sends its first deletion transaction.</summary>
    private static void BeforeFirstTransaction(RequestRecorder recorder, Func<Task> meanwhile) =>
        recorder.BeforeSending = async request =>
        {
            if (request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal))
            {
                recorder.BeforeSending = null;
                await meanwhile();
            }
        };

    private static string Partition(int n) => n.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) is var hex && hex == "ab" ? "fe" : hex;

    private static async Task AddExpiredAsync(TableClient table, IEnumerable<string> keys, DateTimeOffset expiresAt)
    {
        var entities = keys.Select(key => new TableEntity(key[..2], key) { ["Data"] = "{}", ["ExpiresAt"] = expiresAt });
        foreach (var partition in entities.GroupBy(entity => entity.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(entity => new TableTransactionAction(TableTransactionActionType.Add, entity)));
            }
        }
    }
}
