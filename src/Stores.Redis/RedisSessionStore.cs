using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis;

/// <summary>
/// Keeps sessions in Redis (ElastiCache, Azure Cache for Redis, MemoryDB, Valkey, any Redis 6 or later), one hash per
/// session under <see cref="RedisSessionStoreOptions.KeyPrefix"/> followed by the hash of the session id the core passes
/// (never the id itself): <c>d</c> the session JSON, <c>v</c> its version, <c>e</c> its expiry, <c>t</c> the token of the
/// write that stored it.
/// </summary>
/// <remarks>
/// <para>
/// Writes run as Lua scripts, so each is atomic: a new session is created only if its key does not exist, and an update
/// only applies while the stored version is the one the request read (and the session has not expired). Otherwise
/// <see cref="SetAsync"/> throws <see cref="SessionConcurrencyException"/> and the middleware replays the request's
/// changes on fresh data: the same guarantees as the DynamoDB and Azure Table stores.
/// </para>
/// <para>
/// Every key has a time to live: the session's own expiry, or <see cref="RedisSessionStoreOptions.TimeToLiveWithoutExpiry"/>
/// for a session without one. Redis removes expired keys itself, so this store needs no purge. A read also treats a
/// session whose expiry has passed on the app's clock as absent.
/// </para>
/// <para>Failures become <see cref="SessionStoreException"/>s that name the server and the fix, never the password.</para>
/// </remarks>
public sealed class RedisSessionStore : ISessionStore, IDisposable
{
    /// <summary>The store's name for <c>Sessions:Store</c>: <c>redis</c>.</summary>
    public const string StoreName = "redis";

    private const string DataField = "d";
    private const string VersionField = "v";
    private const string ExpiresAtField = "e";

    /// <summary>
    /// What the store adds to the session JSON in Redis, counted against <see cref="RedisSessionStoreOptions.MaxSessionSize"/>
    /// as a round figure: field names, the version, the expiry and the write token.
    /// </summary>
    private const int EntryOverhead = 64;

    private static readonly RedisValue[] ReadFields = [DataField, VersionField, ExpiresAtField];

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisStoreErrors _errors;

    /// <summary>Creates a store over <paramref name="connection"/>, which the caller keeps and disposes.</summary>
    /// <param name="connection">The connection to Redis.</param>
    /// <param name="options">The key prefix, the time to live of sessions without expiry and the size limit (<see cref="RedisSessionStoreOptions.Configuration"/> is not used).</param>
    /// <param name="timeProvider">The clock that decides expiry.</param>
    /// <param name="logger">Logs keys that are not sessions.</param>
    /// <exception cref="OptionsValidationException">An option is not valid.</exception>
    public RedisSessionStore(
        IConnectionMultiplexer connection,
        IOptions<RedisSessionStoreOptions> options,
        TimeProvider timeProvider,
        ILogger<RedisSessionStore> logger)
        : this(connection, ownsConnection: false, options?.Value!, timeProvider, logger)
    {
    }

    private RedisSessionStore(IConnectionMultiplexer connection, bool ownsConnection, RedisSessionStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        RedisSessionStoreOptionsValidator.ThrowIfInvalid(options);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _errors = new RedisStoreErrors(connection);
    }

    /// <inheritdoc />
    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var redisKey = KeyOf(key);
        RedisValue[] fields;
        try
        {
            fields = await Database.HashGetAsync(redisKey, ReadFields).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_errors.Translate(exception, redisKey!, cancellationToken) is { } translated)
        {
            throw translated;
        }

        if (fields.All(field => field.IsNull))
        {
            return null;
        }

        DateTimeOffset? expiresAt = null;
        if (fields[0].IsNull || fields[1].IsNull || !(fields[2].IsNull || fields[2].TryParse(out long _)))
        {
            RedisStoreLog.EntryIgnored(_logger, _options.KeyPrefix);
            return null;
        }

        if (!fields[2].IsNull)
        {
            fields[2].TryParse(out long expiresAtMilliseconds);
            if (_timeProvider.GetUtcNow().ToUnixTimeMilliseconds() >= expiresAtMilliseconds)
            {
                return null;
            }

            expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMilliseconds);
        }

        return new StoredSession { Data = fields[0]!, ExpiresAt = expiresAt, Version = fields[1]! };
    }

    /// <inheritdoc />
    public async Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var redisKey = KeyOf(key);
        ThrowIfTooLarge(session.Data);
        var now = _timeProvider.GetUtcNow();
        long timeToLive = session.ExpiresAt is { } expires
            ? Math.Max(1000, (long)Math.Ceiling((expires - now).TotalMilliseconds))
            : (long)Math.Ceiling(_options.TimeToLiveWithoutExpiry.TotalMilliseconds);
        RedisValue[] arguments =
        [
            session.Version ?? string.Empty,
            session.Data,
            session.ExpiresAt is { } at ? at.ToUnixTimeMilliseconds() : string.Empty,
            timeToLive,
            NewWriteToken(),
            now.ToUnixTimeMilliseconds(),
        ];
        RedisResult result;
        try
        {
            try
            {
                result = await EvaluateAsync(RedisScripts.Set, redisKey, arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisConnectionException lost) when (lost.FailureType is not ConnectionFailureType.AuthenticationFailure)
            {
                // The connection failed, perhaps after the script ran and before its reply arrived. Sent again with the
                // same token, a write that did land is recognised as this one and answered with its version.
                result = await EvaluateAsync(RedisScripts.Set, redisKey, arguments, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (_errors.Translate(exception, redisKey!, cancellationToken) is { } translated)
        {
            throw translated;
        }

        if (result.IsNull)
        {
            throw new SessionConcurrencyException(
                session.Version is null
                    ? "A session with this key already exists in Redis."
                    : "The session was changed, removed or expired in Redis since this request read it.");
        }

        return (string?)result;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => DeleteAsync(key, version: null, cancellationToken);

    /// <inheritdoc />
    public async Task DeleteAsync(string key, string? version, CancellationToken cancellationToken)
    {
        var redisKey = KeyOf(key);
        try
        {
            if (version is null)
            {
                await Database.KeyDeleteAsync(redisKey).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await EvaluateAsync(RedisScripts.DeleteIfVersion, redisKey, [version], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (_errors.Translate(exception, redisKey!, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Disposes the connection if the store created it.</summary>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    /// <summary>
    /// Creates the store for dependency injection: over the app's <see cref="IConnectionMultiplexer"/> when it registers
    /// one, otherwise over a connection of its own made from <see cref="RedisSessionStoreOptions.Configuration"/>.
    /// </summary>
    internal static RedisSessionStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;
        RedisSessionStoreOptionsValidator.ThrowIfInvalid(options);
        var (connection, owned) = RedisConnectionFactory.Resolve(services, options);
        return new RedisSessionStore(
            connection,
            owned,
            options,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RedisSessionStore>>());
    }

    /// <summary>The Redis key of a session: the prefix, then the 64 hexadecimal characters the core passes.</summary>
    internal RedisKey KeyOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 64 || !key.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("The key must be the 64 hexadecimal characters of the session id's hash that the session middleware passes.", nameof(key));
        }

        return _options.KeyPrefix + key;
    }

    private IDatabase Database => _connection.GetDatabase();

    private static string NewWriteToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private Task<RedisResult> EvaluateAsync(string script, RedisKey key, RedisValue[] arguments, CancellationToken cancellationToken) =>
        Database.ScriptEvaluateAsync(script, [key], arguments).WaitAsync(cancellationToken);

    private void ThrowIfTooLarge(string data)
    {
        int limit = _options.MaxSessionSize;
        if (data.Length * 3 + EntryOverhead <= limit)
        {
            return;
        }

        int size = Encoding.UTF8.GetByteCount(data) + EntryOverhead;
        if (size > limit)
        {
            throw new SessionTooLargeException(size, limit, StoreName);
        }
    }
}
