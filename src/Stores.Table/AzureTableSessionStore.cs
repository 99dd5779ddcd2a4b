using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SessionsServerless.Stores.AzureTables;

/// <summary>
/// Keeps sessions in an Azure Storage (or Cosmos DB for Table) table, one entity per session: PartitionKey the first two
/// characters of the hash the core passes (256 partitions), RowKey the hash itself (never the session id), the session
/// JSON in <c>Data</c> (continued in <c>Data1</c>, <c>Data2</c>, … past 32,768 characters) and the expiry in
/// <c>ExpiresAt</c>.
/// </summary>
/// <remarks>
/// <para>
/// The entity's ETag is the session's version. A new session is added only if its entity does not exist; an update
/// replaces the entity only while its ETag is the one the request read. A write the SDK sent again after the reply to
/// the first was lost finds its own random write token on the entity and succeeds instead of conflicting with itself. Otherwise <see cref="SetAsync"/> throws
/// <see cref="SessionConcurrencyException"/> and the middleware replays the request's changes on fresh data.
/// </para>
/// <para>
/// Table Storage has no automatic expiry: a read treats an entity whose <c>ExpiresAt</c> has passed as absent, and
/// <see cref="PurgeExpiredAsync"/> deletes such entities (the Azure Functions timer runs it).
/// </para>
/// <para>
/// A session holds at most <see cref="MaxSessionLength"/> characters of JSON; a larger one is refused with
/// <see cref="SessionTooLargeException"/> before anything is sent, never truncated. Failures become <see cref="SessionStoreException"/>s that name
/// the table and the fix.
/// </para>
/// </remarks>
public sealed class AzureTableSessionStore : IPurgeableSessionStore
{
    /// <summary>The store's name for <c>Sessions:Store</c>: <c>table</c>.</summary>
    public const string StoreName = "table";

    /// <summary>
    /// The longest session this store keeps: 523,510 characters (UTF-16 code units) of session JSON, which is 511 KiB of
    /// ASCII JSON. An Azure Table entity holds 1 MiB and stores strings as UTF-16.
    /// </summary>
    public const int MaxSessionLength = SessionEntity.MaxDataLength;

    private const int MaxTransactionSize = 100;

    private static readonly string TableAlreadyExists = TableErrorCode.TableAlreadyExists.ToString();

    private static readonly IEnumerable<string> KeyColumns = [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey)];

    private static readonly IEnumerable<string> WriteTokenColumn = [SessionEntity.WriteTokenProperty];

    private readonly TableClient _table;
    private readonly bool _createTableIfNotExists;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AzureTableStoreErrors _errors;

    /// <summary>Creates a store over <paramref name="table"/>, the client of the session table.</summary>
    /// <param name="table">The table client; it decides the table (<see cref="AzureTableSessionStoreOptions.TableName"/> is not used).</param>
    /// <param name="options">Whether to create a missing table.</param>
    /// <param name="timeProvider">The clock that decides whether a session has expired.</param>
    /// <param name="logger">Logs entities that are not sessions, created tables and purges.</param>
    // The SDK builds every entity it reads with Activator.CreateInstance<TableEntity>() (no new() constraint), so Native AOT
    // keeps TableEntity's constructor only when told to; without it every read throws MissingMethodException.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor, typeof(TableEntity))]
    public AzureTableSessionStore(
        TableClient table,
        IOptions<AzureTableSessionStoreOptions> options,
        TimeProvider timeProvider,
        ILogger<AzureTableSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        _createTableIfNotExists = options.Value.CreateTableIfNotExists;
        _timeProvider = timeProvider;
        _logger = logger;
        _errors = new AzureTableStoreErrors(table);
    }

    /// <summary>The name of the table the store uses.</summary>
    public string TableName => _table.Name;

    /// <inheritdoc />
    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfInvalidKey(key);
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(SessionEntity.PartitionKeyOf(key), key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.HasValue)
            {
                await ThrowIfTableMissingAsync(response.GetRawResponse(), cancellationToken).ConfigureAwait(false);
                return null;
            }

            return ReadLive(response.Value!);
        }
        catch (Exception exception) when (_errors.Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        ThrowIfInvalidKey(key);
        ArgumentNullException.ThrowIfNull(session);
        if (session.Data.Length > MaxSessionLength)
        {
            throw AzureTableStoreErrors.TooLarge(session.Data.Length);
        }

        var entity = SessionEntity.Create(key, session);
        try
        {
            return session.Version is { } version
                ? await ReplaceAsync(entity, new ETag(version), cancellationToken).ConfigureAwait(false)
                : await AddAsync(entity, allowTableCreation: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failed) when (AzureTableStoreErrors.IsTooLarge(failed))
        {
            // The service counts more than the documented formula says: still the same error as the check above.
            throw AzureTableStoreErrors.TooLarge(session.Data.Length, failed);
        }
        catch (Exception exception) when (_errors.Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => DeleteAsync(key, version: null, cancellationToken);

    /// <inheritdoc />
    public async Task DeleteAsync(string key, string? version, CancellationToken cancellationToken)
    {
        ThrowIfInvalidKey(key);
        try
        {
            // The SDK answers 404 without throwing; a missing table is still a misconfiguration worth reporting.
            var response = await _table.DeleteEntityAsync(
                SessionEntity.PartitionKeyOf(key), key, version is null ? ETag.All : new ETag(version), cancellationToken).ConfigureAwait(false);
            await ThrowIfTableMissingAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failed) when (failed.Status == 412)
        {
            // Another request changed the session since it was read: its change stays, and the purge removes it once expired.
        }
        catch (Exception exception) when (_errors.Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Deletes every session whose <c>ExpiresAt</c> has passed: one query over the table for their keys, then entity group
    /// transactions of up to 100 deletions per partition. A session renewed after the query (its ETag changed) is kept.
    /// </summary>
    /// <param name="cancellationToken">Stops the purge; sessions already deleted stay deleted.</param>
    /// <returns>How many sessions were deleted.</returns>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        string filter = TableClient.CreateQueryFilter($"ExpiresAt le {now}");
        int removed = 0;
        try
        {
            var pages = _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).AsPages();
            await foreach (var page in pages.ConfigureAwait(false))
            {
                foreach (var partition in page.Values.GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal))
                {
                    foreach (var batch in partition.Chunk(MaxTransactionSize))
                    {
                        removed += await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (RequestFailedException failed) when (AzureTableStoreErrors.IsTableMissing(failed) && _createTableIfNotExists)
        {
            // Nothing to purge in a table that is not there; the next write creates it.
        }
        catch (Exception exception) when (_errors.Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }

        AzureTableStoreLog.Purged(_logger, removed, _table.Name);
        return removed;
    }

    /// <summary>Creates the store the configuration describes; <c>AddAzureTableStore</c> registers it.</summary>
    internal static AzureTableSessionStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AzureTableSessionStoreOptions>>();
        AzureTableSessionStoreOptionsValidator.ThrowIfInvalid(options.Value);
        return new AzureTableSessionStore(
            AzureTableClientFactory.Create(services, options.Value),
            options,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<AzureTableSessionStore>>());
    }

    private static void ThrowIfInvalidKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!SessionEntity.IsValidKey(key))
        {
            throw new ArgumentException("The key must be the 64 hexadecimal characters of the session id's hash that the session middleware passes.", nameof(key));
        }
    }

    private StoredSession? ReadLive(TableEntity entity)
    {
        if (!SessionEntity.TryRead(entity, out string data, out var expiresAt))
        {
            AzureTableStoreLog.EntityIgnored(_logger, _table.Name);
            return null;
        }

        if (SessionEntity.IsExpired(expiresAt, _timeProvider.GetUtcNow()))
        {
            return null;
        }

        return new StoredSession { Data = data, ExpiresAt = expiresAt, Version = entity.ETag.ToString() };
    }

    private async Task<string?> AddAsync(TableEntity entity, bool allowTableCreation, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException failed) when (AzureTableStoreErrors.IsAlreadyExists(failed))
        {
            return await ReplaceLeftoverAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failed) when (allowTableCreation && AzureTableStoreErrors.IsTableMissing(failed) && _createTableIfNotExists)
        {
            await CreateTableAsync(cancellationToken).ConfigureAwait(false);
            return await AddAsync(entity, allowTableCreation: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A new session's key is taken. Only a leftover that reads as absent (expired, or not a session) may be replaced;
    /// a live session is another request's.
    /// </summary>
    private async Task<string?> ReplaceLeftoverAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.HasValue && IsSameWrite(existing.Value!, entity))
        {
            // This very add, sent again by the SDK after the reply to the first was lost.
            return existing.Value!.ETag.ToString();
        }

        if (existing.HasValue && ReadLive(existing.Value!) is null)
        {
            return await ReplaceAsync(entity, existing.Value!.ETag, cancellationToken).ConfigureAwait(false);
        }

        throw new SessionConcurrencyException("A session with this key already exists in the Azure table.");
    }

    private async Task<string?> ReplaceAsync(TableEntity entity, ETag version, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(entity, version, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException failed) when (failed.Status == 412)
        {
            // The SDK sends a replace again when the reply to the first was lost; if the first landed, the ETag moved and
            // the repeat fails its own condition. The entity then carries this write's token.
            if (await OwnWriteVersionAsync(entity, cancellationToken).ConfigureAwait(false) is { } written)
            {
                return written;
            }

            throw new SessionConcurrencyException("The session was changed by another request while this request was running.", failed);
        }
        catch (RequestFailedException failed) when (failed.Status == 404 && !AzureTableStoreErrors.IsTableMissing(failed))
        {
            throw new SessionConcurrencyException("The session was removed by another request while this request was running.", failed);
        }
        catch (RequestFailedException failed) when (AzureTableStoreErrors.IsTableMissing(failed) && _createTableIfNotExists)
        {
            // A recreated table holds no sessions: this one is gone, as if deleted.
            await CreateTableAsync(cancellationToken).ConfigureAwait(false);
            throw new SessionConcurrencyException("The session's table was missing and has been created; the session is gone.", failed);
        }
    }

    /// <summary>
    /// The ETag of the stored entity when it was written by <paramref name="entity"/>'s write (it carries the same
    /// write token); <see langword="null"/> when another write stored it, or it is gone.
    /// </summary>
    private async Task<string?> OwnWriteVersionAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var stored = await _table.GetEntityIfExistsAsync<TableEntity>(
            entity.PartitionKey, entity.RowKey, WriteTokenColumn, cancellationToken).ConfigureAwait(false);
        return stored.HasValue && IsSameWrite(stored.Value!, entity) ? stored.Value!.ETag.ToString() : null;
    }

    private static bool IsSameWrite(TableEntity stored, TableEntity written) =>
        stored.GetString(SessionEntity.WriteTokenProperty) is { } token
        && string.Equals(token, written.GetString(SessionEntity.WriteTokenProperty), StringComparison.Ordinal);

    private async Task<int> DeleteBatchAsync(TableEntity[] expired, CancellationToken cancellationToken)
    {
        var actions = expired.Select(entity => new TableTransactionAction(TableTransactionActionType.Delete, entity, entity.ETag)).ToList();
        while (actions.Count > 0)
        {
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return actions.Count;
            }
            catch (TableTransactionFailedException failed)
                when (failed.Status is 404 or 412 && failed.FailedTransactionActionIndex is { } index && index < actions.Count)
            {
                // One entity was renewed (412) or removed (404) since the query: keep it out and delete the others.
                AzureTableStoreLog.PurgeSkippedChangedEntity(_logger);
                actions.RemoveAt(index);
            }
        }

        return 0;
    }

    private async Task ThrowIfTableMissingAsync(Response response, CancellationToken cancellationToken)
    {
        if (!AzureTableStoreErrors.IsTableMissing(response))
        {
            return;
        }

        if (!_createTableIfNotExists)
        {
            throw _errors.TableMissing();
        }

        await CreateTableAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            // CreateAsync, not CreateIfNotExistsAsync: the latter serializes its request by reflection, which Native AOT lacks.
            await _table.CreateAsync(cancellationToken).ConfigureAwait(false);
            AzureTableStoreLog.TableCreated(_logger, _table.Name);
        }
        catch (RequestFailedException failed) when (failed.Status == 409 && failed.ErrorCode == TableAlreadyExists)
        {
            // Another instance created it first.
        }
    }
}
