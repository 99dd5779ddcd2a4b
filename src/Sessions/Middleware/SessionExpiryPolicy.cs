namespace SessionsServerless;

/// <summary>The time rules: when a session has expired, when its expiry is renewed, what a write stamps.</summary>
internal sealed class SessionExpiryPolicy
{
    private readonly TimeSpan? _expireAfter;
    private readonly TimeSpan? _absoluteLifetime;
    private readonly bool _autoExtend;
    private readonly double _renewalThreshold;

    public SessionExpiryPolicy(SessionsOptions options)
    {
        _expireAfter = options.ExpireAfter;
        _absoluteLifetime = options.AbsoluteLifetime;
        _autoExtend = options.AutoExtendExpiration;
        _renewalThreshold = options.RenewalThreshold;
    }

    /// <summary>
    /// Whether a session just read has expired: its idle expiry or absolute lifetime has passed, or it lacks the times a
    /// configured rule needs (a cookie written while the rule was off, or by an app without it). Times that claim more than
    /// the current settings allow are clamped, measured from when the session was last saved (<c>_accessed</c>), so a
    /// cookie copied or issued under looser settings never outlives the current ones.
    /// </summary>
    public bool CheckExpired(SessionData data, DateTimeOffset now)
    {
        DateTimeOffset? saved = data.LastAccessed is { } accessed && accessed < now ? accessed : data.LastAccessed is null ? null : now;
        if (_expireAfter is { } window)
        {
            if (data.ExpiresAt is not { } idle || saved is not { } savedAt)
            {
                return true;
            }

            if (idle > savedAt + window)
            {
                data.ExpiresAt = savedAt + window;
            }
        }

        if (_absoluteLifetime is not null)
        {
            if (data.CreatedAt is not { } created)
            {
                return true;
            }

            var latest = saved ?? now;
            if (created > latest)
            {
                data.CreatedAt = latest;
            }
        }

        return ExpiresAt(data) is { } expires && now >= expires;
    }

    /// <summary>When the session stops being valid: the earlier of its idle expiry and its absolute lifetime.</summary>
    public DateTimeOffset? ExpiresAt(SessionData data)
    {
        DateTimeOffset? absolute = _absoluteLifetime is { } cap && data.CreatedAt is { } created ? created + cap : null;
        return (data.ExpiresAt, absolute) switch
        {
            ({ } idle, { } hard) => idle < hard ? idle : hard,
            ({ } idle, null) => idle,
            (null, var hard) => hard,
        };
    }

    /// <summary>
    /// Whether a request that changed nothing should still write, to push the idle expiry forward: only once
    /// <see cref="SessionsOptions.RenewalThreshold"/> of the window has passed since the expiry was last written.
    /// </summary>
    public bool IsRenewalDue(DateTimeOffset? persistedExpiresAt, bool touched, DateTimeOffset now)
    {
        if (_expireAfter is not { } window || (!_autoExtend && !touched))
        {
            return false;
        }

        return persistedExpiresAt is not { } expires || expires - now < window * (1 - _renewalThreshold);
    }

    /// <summary>Sets the expiry, access time and (with an absolute lifetime) creation time of data about to be written.</summary>
    public void Stamp(SessionData data, DateTimeOffset now)
    {
        if (_expireAfter is { } window)
        {
            data.ExpiresAt = now + window;
        }

        data.LastAccessed = now;
        if (_absoluteLifetime is not null)
        {
            data.CreatedAt ??= now;
        }
    }
}
