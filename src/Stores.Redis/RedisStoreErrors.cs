using System.Net;
using StackExchange.Redis;

namespace SessionsServerless.Stores.Redis;

/// <summary>
/// Turns what StackExchange.Redis throws into <see cref="SessionStoreException"/>s that name the server and the fix. The
/// messages carry host and port only, never a password, a key or a session id; the client's exception is kept as the
/// inner exception unless it quotes the key.
/// </summary>
internal sealed class RedisStoreErrors
{
    private readonly string _location;

    public RedisStoreErrors(IConnectionMultiplexer connection)
    {
        _location = Describe(connection.GetEndPoints());
    }

    /// <summary>Endpoints in words: <c>cache.example.com:6380</c>, or a list.</summary>
    public static string Describe(IEnumerable<EndPoint> endPoints)
    {
        var names = endPoints.Select(Describe).ToList();
        return names.Count switch
        {
            0 => "(no endpoint)",
            1 => names[0],
            _ => string.Join(", ", names),
        };
    }

    /// <summary>The store exception for <paramref name="exception"/>, or <see langword="null"/> to let it pass (cancellation, argument errors).</summary>
    public SessionStoreException? Translate(Exception exception, string redisKey, CancellationToken cancellationToken)
    {
        if (exception is SessionStoreException or SessionTooLargeException or ArgumentException)
        {
            return null;
        }

        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        // StackExchange.Redis names the key in some messages; the key is the hash of a session id, kept out of logs.
        Exception? inner = exception.ToString().Contains(redisKey, StringComparison.Ordinal) ? null : exception;
        return exception switch
        {
            RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => new SessionStoreException(
                $"Redis at {_location} refused the app's credentials. Check password= (and user= for an ACL user or Azure's " +
                "Entra ID) in Sessions:Redis:Configuration.",
                inner),
            RedisConnectionException => new SessionStoreException(
                $"Redis could not be reached at {_location}, so the session could not be read or saved. Check that the server is " +
                "running and reachable, and the host, port and ssl= in Sessions:Redis:Configuration (managed services usually " +
                "need ssl=true, on port 6380 for Azure Cache for Redis).",
                inner),
            RedisTimeoutException => new SessionStoreException(
                $"Redis at {_location} did not answer in time. Check the server's load and the network; syncTimeout= and " +
                "asyncTimeout= in Sessions:Redis:Configuration set how long a request waits.",
                inner),
            RedisServerException server when StartsWith(server, "NOAUTH") || StartsWith(server, "WRONGPASS") => new SessionStoreException(
                $"Redis at {_location} needs other credentials. Set password= (and user= for an ACL user) in Sessions:Redis:Configuration.",
                inner),
            RedisServerException server when StartsWith(server, "NOPERM") => new SessionStoreException(
                $"Redis at {_location} refused a command to the app's user (an ACL). Allow it EVAL, EVALSHA, HMGET, HGET, HSET, DEL and " +
                "PEXPIRE on the session keys (their prefix is Sessions:Redis:KeyPrefix).",
                inner),
            RedisServerException server when StartsWith(server, "READONLY") => new SessionStoreException(
                $"Redis at {_location} is a read-only replica. Point Sessions:Redis:Configuration at the primary (or at all nodes).",
                inner),
            RedisServerException server when StartsWith(server, "OOM") => new SessionStoreException(
                $"Redis at {_location} is out of memory (maxmemory reached) and refused the session. Give it more memory, or use " +
                "a maxmemory-policy that evicts keys with a time to live (volatile-lru, volatile-ttl): every session key has one.",
                inner),
            RedisServerException server when StartsWith(server, "WRONGTYPE") => new SessionStoreException(
                $"A key in Redis at {_location} under Sessions:Redis:KeyPrefix is not a session this store wrote. Give the sessions a " +
                "prefix of their own.",
                inner),
            RedisException => new SessionStoreException(
                $"Redis at {_location} refused a session request. See the inner exception (when present) for Redis's message.",
                inner),
            _ => null,
        };
    }

    private static bool StartsWith(RedisServerException exception, string code) =>
        exception.Message.StartsWith(code, StringComparison.Ordinal);

    private static string Describe(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "(unknown endpoint)",
    };
}
