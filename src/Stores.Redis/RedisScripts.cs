namespace SessionsServerless.Stores.Redis;

/// <summary>
/// The Lua scripts that make writes conditional. A session is a Redis hash: <c>d</c> the session JSON, <c>v</c> the
/// version (an integer, one more on every write), <c>e</c> the expiry in Unix milliseconds (absent when the session has
/// none) and <c>t</c> the token of the write that stored it. Each script touches one key, so it runs on Redis Cluster too.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS[1] the key; ARGV[1] the version the write is based on (empty: create), ARGV[2] the JSON, ARGV[3] the expiry in
    /// Unix ms (empty: none), ARGV[4] the time to live in ms, ARGV[5] this write's token, ARGV[6] the app's clock in Unix ms.
    /// Returns the new version, or nil when the write lost a race (the key exists for a create; the version moved on, or
    /// the session expired or was removed, for an update). A key that already carries this write's token is this very
    /// write, sent again after its reply was lost: its version is returned and nothing changes.
    /// </summary>
    public const string Set = """
        local current = redis.call('HMGET', KEYS[1], 'v', 'e', 't')
        local version = current[1]
        if version and current[3] == ARGV[5] then
          return version
        end
        local live = version and ((not current[2]) or tonumber(current[2]) > tonumber(ARGV[6]))
        if ARGV[1] == '' then
          if live then
            return false
          end
        elseif (not live) or version ~= ARGV[1] then
          return false
        end
        local base = 0
        if version then
          base = tonumber(version) or 0
        end
        local new = tostring(base + 1)
        redis.call('DEL', KEYS[1])
        if ARGV[3] == '' then
          redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', new, 't', ARGV[5])
        else
          redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', new, 'e', ARGV[3], 't', ARGV[5])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return new
        """;

    /// <summary>KEYS[1] the key; ARGV[1] a version. Deletes the key only while its version is that one; returns 1 or 0.</summary>
    public const string DeleteIfVersion = """
        if redis.call('HGET', KEYS[1], 'v') == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
