using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>
/// Keeps sessions in the app's <see cref="IDistributedCache"/> (Redis, SQL Server, NCache, Cosmos DB, the in-memory one,
/// ...), one entry per session under <see cref="DistributedCacheStoreOptions.KeyPrefix"/> followed by the hash of the
/// session id the core passes.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IDistributedCache"/> has no conditional writes, so this store tracks no versions: <b>the last writer
/// wins</b>. Two requests of one session that change it at the same time may lose one's change (the middleware cannot
/// replay it), and a request may bring back a session another request deleted a moment before. Where that matters, use a
/// store with versions (<c>redis</c>, <c>dynamodb</c>, <c>table</c>, <c>memory</c>).
/// </para>
/// <para>
/// Each entry expires with the session (an absolute expiration at <see cref="StoredSession.ExpiresAt"/>, or
/// <see cref="DistributedCacheStoreOptions.TimeToLiveWithoutExpiry"/> for a session without one); the cache removes it,
/// so no purge is needed. Failures of the cache become <see cref="SessionStoreException"/>s (503, the cookie kept).
/// </para>
/// </remarks>
public sealed class DistributedCacheStore : ISessionStore
{
    /// <summary>The store's name for <c>Sessions:Store</c>: <c>distributedcache</c>.</summary>
    public const string StoreName = "distributedcache";

    /// <summary>An entry is the expiry in Unix milliseconds (8 bytes, big-endian; <see cref="long.MinValue"/> for none), then the UTF-8 JSON.</summary>
    private const int HeaderLength = sizeof(long);

    private readonly IDistributedCache _cache;
    private readonly DistributedCacheStoreOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over <paramref name="cache"/>.</summary>
    /// <param name="cache">The cache that holds the sessions.</param>
    /// <param name="options">The key prefix, the time to live of sessions without expiry and the size limit.</param>
    /// <param name="timeProvider">The clock that decides expiry.</param>
    /// <exception cref="OptionsValidationException">An option is not valid.</exception>
    public DistributedCacheStore(IDistributedCache cache, IOptions<DistributedCacheStoreOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _cache = cache;
        _options = options.Value;
        _timeProvider = timeProvider;
        ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken)
    {
        string cacheKey = KeyOf(key);
        byte[]? entry;
        try
        {
            entry = await _cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            throw Failure(exception, cacheKey);
        }

        if (entry is not { Length: >= HeaderLength })
        {
            return null;
        }

        long expires = BinaryPrimitives.ReadInt64BigEndian(entry);
        DateTimeOffset? expiresAt = null;
        if (expires != long.MinValue)
        {
            if (_timeProvider.GetUtcNow().ToUnixTimeMilliseconds() >= expires)
            {
                return null;
            }

            expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expires);
        }

        string data;
        try
        {
            data = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(entry, HeaderLength, entry.Length - HeaderLength);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return new StoredSession { Data = data, ExpiresAt = expiresAt };
    }

    /// <inheritdoc />
    /// <remarks>Last writer wins: the version is ignored and <see langword="null"/> returned.</remarks>
    public async Task<string?> SetAsync(string key, StoredSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        string cacheKey = KeyOf(key);
        int size = Encoding.UTF8.GetByteCount(session.Data);
        if (size > _options.MaxSessionSize)
        {
            throw new SessionTooLargeException(size, _options.MaxSessionSize, StoreName);
        }

        var entry = new byte[HeaderLength + size];
        BinaryPrimitives.WriteInt64BigEndian(entry, session.ExpiresAt?.ToUnixTimeMilliseconds() ?? long.MinValue);
        Encoding.UTF8.GetBytes(session.Data, entry.AsSpan(HeaderLength));
        var now = _timeProvider.GetUtcNow();

        // Relative, so a cache whose clock is not the app's still expires the entry with the session.
        var timeToLive = session.ExpiresAt is { } expires ? expires - now : _options.TimeToLiveWithoutExpiry;
        var entryOptions = new DistributedCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = timeToLive > TimeSpan.FromSeconds(1) ? timeToLive : TimeSpan.FromSeconds(1),
        };
        try
        {
            await _cache.SetAsync(cacheKey, entry, entryOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            throw Failure(exception, cacheKey);
        }

        return null;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        string cacheKey = KeyOf(key);
        try
        {
            await _cache.RemoveAsync(cacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            throw Failure(exception, cacheKey);
        }
    }

    private static void ThrowIfInvalid(DistributedCacheStoreOptions options)
    {
        var failures = new List<string>();
        if (options.KeyPrefix is null)
        {
            failures.Add($"Sessions:DistributedCache:KeyPrefix must be set (default '{DistributedCacheStoreOptions.DefaultKeyPrefix}').");
        }

        if (options.TimeToLiveWithoutExpiry <= TimeSpan.Zero)
        {
            failures.Add("Sessions:DistributedCache:TimeToLiveWithoutExpiry must be positive (default 14.00:00:00).");
        }

        if (options.MaxSessionSize <= 0)
        {
            failures.Add("Sessions:DistributedCache:MaxSessionSize must be a positive number of bytes.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DistributedCacheStoreOptions), failures);
        }
    }

    private static bool IsCacheFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not (ArgumentException or SessionStoreException)
        && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private SessionStoreException Failure(Exception exception, string cacheKey)
    {
        // The cache's own message may name the key (the hash of a session id): keep it out of what gets logged.
        Exception? inner = exception.ToString().Contains(cacheKey[^64..], StringComparison.Ordinal) ? null : exception;
        return new SessionStoreException(
            $"The distributed cache ({_cache.GetType().Name}) failed ({exception.GetType().Name}), so the session could not be read or saved. " +
            "Check that the cache's server is running and reachable and the cache's own configuration.",
            inner);
    }

    private string KeyOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 64 || !key.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("The key must be the 64 hexadecimal characters of the session id's hash that the session middleware passes.", nameof(key));
        }

        return _options.KeyPrefix + key;
    }
}
