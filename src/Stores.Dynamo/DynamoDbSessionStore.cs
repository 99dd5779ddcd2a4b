using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SessionsServerless.Stores.DynamoDB;

/// <summary>
/// Keeps sessions in a DynamoDB table, one item per session: <c>id</c> (String, the partition key: the hash of the
/// session id the core passes, never the id itself), <c>data</c> (String, the session JSON), <c>expiresAt</c> (Number,
/// epoch seconds, the table's Time to Live attribute), <c>version</c> (Number, for optimistic concurrency) and
/// <c>writeToken</c> (String, random per write, so a write the SDK sent again after a lost reply is recognised as itself).
/// </summary>
/// <remarks>
/// <para>
/// Reads are strongly consistent, so a request sees the previous request's write whichever instance served it. An item
/// whose <c>expiresAt</c> has passed is treated as absent: DynamoDB's Time to Live deletes items late (often hours).
/// </para>
/// <para>
/// Writes are conditional: a new session is created only if its item does not exist, and an update only applies when the
/// stored <c>version</c> is the one the request read (and the item has not expired). Otherwise
/// <see cref="SetAsync"/> throws <see cref="SessionConcurrencyException"/> and the middleware replays the request's
/// changes on fresh data.
/// </para>
/// <para>
/// A session whose item would exceed DynamoDB's 400 KB is refused with <see cref="SessionTooLargeException"/> before
/// anything is sent. Other failures become <see cref="SessionStoreException"/>s that name the table and the fix.
/// </para>
/// </remarks>
public sealed class DynamoDbSessionStore : ISessionStore, IDisposable
{
    /// <summary>The store's name for <c>Sessions:Store</c>: <c>dynamodb</c>.</summary>
    public const string StoreName = "dynamodb";

    private const string IdAttribute = "id";
    private const string DataAttribute = "data";
    private const string ExpiresAtAttribute = "expiresAt";
    private const string VersionAttribute = "version";
    private const string WriteTokenAttribute = "writeToken";

    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly string _tableName;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly DynamoDbStoreErrors _errors;

    /// <summary>Creates a store over <paramref name="client"/>, which the caller keeps and disposes.</summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="options">The table name (<see cref="DynamoDbSessionStoreOptions.ServiceUrl"/> is not used: the client decides the endpoint).</param>
    /// <param name="timeProvider">The clock that decides whether an item has expired.</param>
    /// <param name="logger">Logs items that are not sessions.</param>
    /// <exception cref="OptionsValidationException">The table name is not a valid DynamoDB table name.</exception>
    public DynamoDbSessionStore(
        IAmazonDynamoDB client,
        IOptions<DynamoDbSessionStoreOptions> options,
        TimeProvider timeProvider,
        ILogger<DynamoDbSessionStore> logger)
        : this(client, ownsClient: false, options?.Value!, timeProvider, logger)
    {
    }

    private DynamoDbSessionStore(IAmazonDynamoDB client, bool ownsClient, DynamoDbSessionStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        DynamoDbSessionStoreOptionsValidator.ThrowIfInvalid(options);
        _client = client;
        _ownsClient = ownsClient;
        _tableName = options.TableName;
        _timeProvider = timeProvider;
        _logger = logger;
        _errors = new DynamoDbStoreErrors(options.TableName, DynamoDbStoreErrors.DescribeLocation(client.Config));
    }

    /// <inheritdoc />
    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        GetItemResponse response;
        try
        {
            var request = new GetItemRequest { TableName = _tableName, Key = KeyOf(key), ConsistentRead = true };
            response = await _client.GetItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }

        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }

        if (!TryReadString(item, DataAttribute, out string? data) || !TryReadNumber(item, VersionAttribute, out long version))
        {
            DynamoDbStoreLog.ItemIgnored(_logger, _tableName);
            return null;
        }

        DateTimeOffset? expiresAt = null;
        if (item.ContainsKey(ExpiresAtAttribute))
        {
            if (!TryReadNumber(item, ExpiresAtAttribute, out long expiresAtSeconds))
            {
                DynamoDbStoreLog.ItemIgnored(_logger, _tableName);
                return null;
            }

            if (_timeProvider.GetUtcNow().ToUnixTimeSeconds() >= expiresAtSeconds)
            {
                return null;
            }

            expiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAtSeconds);
        }

        return new StoredSession { Data = data, ExpiresAt = expiresAt, Version = version.ToString(CultureInfo.InvariantCulture) };
    }

    /// <inheritdoc />
    public async Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(session);
        long expectedVersion = 0;
        if (session.Version is not null && !long.TryParse(session.Version, NumberStyles.None, CultureInfo.InvariantCulture, out expectedVersion))
        {
            throw new ArgumentException("The session's version is not one this store issued.", nameof(session));
        }

        if (session.Data.Length * 3 + DynamoDbStoreErrors.ItemOverhead > DynamoDbStoreErrors.MaxItemBytes
            && Encoding.UTF8.GetByteCount(session.Data) + DynamoDbStoreErrors.ItemOverhead > DynamoDbStoreErrors.MaxItemBytes)
        {
            throw DynamoDbStoreErrors.TooLarge(session.Data);
        }

        long newVersion = expectedVersion + 1;
        string writeToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var item = new Dictionary<string, AttributeValue>(5, StringComparer.Ordinal)
        {
            [IdAttribute] = new() { S = key },
            [DataAttribute] = new() { S = session.Data },
            [VersionAttribute] = Number(newVersion),
            [WriteTokenAttribute] = new() { S = writeToken },
        };
        if (session.ExpiresAt is { } expiresAt)
        {
            item[ExpiresAtAttribute] = Number(ToEpochSecondsRoundedUp(expiresAt));
        }

        var request = new PutItemRequest { TableName = _tableName, Item = item };
        if (session.Version is null)
        {
            request.ConditionExpression = "attribute_not_exists(#id)";
            request.ExpressionAttributeNames = new() { ["#id"] = IdAttribute };
        }
        else
        {
            request.ConditionExpression = "#version = :expected AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)";
            request.ExpressionAttributeNames = new() { ["#version"] = VersionAttribute, ["#expiresAt"] = ExpiresAtAttribute };
            request.ExpressionAttributeValues = new()
            {
                [":expected"] = Number(expectedVersion),
                [":now"] = Number(_timeProvider.GetUtcNow().ToUnixTimeSeconds()),
            };
        }

        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException exception)
        {
            if (await IsOwnWriteAsync(key, writeToken, cancellationToken).ConfigureAwait(false))
            {
                return newVersion.ToString(CultureInfo.InvariantCulture);
            }

            throw new SessionConcurrencyException(
                session.Version is null
                    ? $"A session with this id already exists in the DynamoDB table '{_tableName}'."
                    : $"The session was changed, removed or expired in the DynamoDB table '{_tableName}' since this request read it.",
                exception);
        }
        catch (Exception exception) when (DynamoDbStoreErrors.IsItemTooLarge(exception))
        {
            throw DynamoDbStoreErrors.TooLarge(session.Data, exception);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }

        return newVersion.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => DeleteAsync(key, version: null, cancellationToken);

    /// <inheritdoc />
    public async Task DeleteAsync(string key, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var request = new DeleteItemRequest { TableName = _tableName, Key = KeyOf(key) };
        if (version is not null)
        {
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long expected))
            {
                throw new ArgumentException("The version is not one this store issued.", nameof(version));
            }

            request.ConditionExpression = "#version = :expected";
            request.ExpressionAttributeNames = new() { ["#version"] = VersionAttribute };
            request.ExpressionAttributeValues = new() { [":expected"] = Number(expected) };
        }

        try
        {
            await _client.DeleteItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another request changed the session since it was read: its change stays, and the item ends with its expiry.
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Disposes the DynamoDB client if the store created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// Creates the store for dependency injection: over the app's <see cref="IAmazonDynamoDB"/> when it registers one,
    /// otherwise over a client of its own, made from the options and the standard AWS settings.
    /// </summary>
    internal static DynamoDbSessionStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DynamoDbSessionStoreOptions>>().Value;
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<DynamoDbSessionStore>>();
        DynamoDbSessionStoreOptionsValidator.ThrowIfInvalid(options);
        if (services.GetService<IAmazonDynamoDB>() is { } client)
        {
            if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
            {
                throw new InvalidOperationException(
                    "Sessions:DynamoDb:ServiceUrl is set, but the app registers its own IAmazonDynamoDB client, which the session store " +
                    "uses as it is. Set the endpoint on that client (its ServiceURL), or remove Sessions:DynamoDb:ServiceUrl.");
            }

            return new DynamoDbSessionStore(client, ownsClient: false, options, timeProvider, logger);
        }

        return new DynamoDbSessionStore(DynamoDbClientFactory.Create(options), ownsClient: true, options, timeProvider, logger);
    }

    /// <summary>
    /// Whether the item under <paramref name="key"/> was stored by the write with <paramref name="writeToken"/>: the SDK
    /// sends a conditional put again when the reply to the first was lost, and the repeat then fails its own condition.
    /// </summary>
    private async Task<bool> IsOwnWriteAsync(string key, string writeToken, CancellationToken cancellationToken)
    {
        try
        {
            var request = new GetItemRequest
            {
                TableName = _tableName,
                Key = KeyOf(key),
                ConsistentRead = true,
                ProjectionExpression = "#token",
                ExpressionAttributeNames = new() { ["#token"] = WriteTokenAttribute },
            };
            var response = await _client.GetItemAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Item is { } item && item.TryGetValue(WriteTokenAttribute, out var token) && token.S == writeToken;
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private SessionStoreException? Translate(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested ? null : _errors.Translate(exception);

    private static Dictionary<string, AttributeValue> KeyOf(string key) =>
        new(1, StringComparer.Ordinal) { [IdAttribute] = new() { S = key } };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static long ToEpochSecondsRoundedUp(DateTimeOffset time)
    {
        long seconds = time.ToUnixTimeSeconds();
        return time > DateTimeOffset.FromUnixTimeSeconds(seconds) ? seconds + 1 : seconds;
    }

    private static bool TryReadString(Dictionary<string, AttributeValue> item, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = item.TryGetValue(name, out var attribute) ? attribute.S : null;
        return value is not null;
    }

    private static bool TryReadNumber(Dictionary<string, AttributeValue> item, string name, out long value)
    {
        value = 0;
        return item.TryGetValue(name, out var attribute)
            && attribute.N is { } number
            && long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
