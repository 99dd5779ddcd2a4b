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

    /// <summary>Whether the idle expiry or the absolute lifetime has passed.</summary>
    public bool IsExpired(SessionData data, DateTimeOffset now) =>
        ExpiresAt(data) is { } expires && now >= expires;

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
