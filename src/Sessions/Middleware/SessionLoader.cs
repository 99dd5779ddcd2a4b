using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>
/// Turns the request's session cookie into a session: a valid, unexpired one as it was saved, anything else (no cookie,
/// tampered, foreign, oversize, expired, unknown, revoked) a fresh, empty one.
/// </summary>
internal sealed class SessionLoader
{
    /// <summary>How many cookies of the session's name (other paths or domains, a tossed cookie) are tried at most.</summary>
    public const int MaxCandidateCookies = 4;

    private readonly SessionPersistence _persistence;
    private readonly SessionCookieWriter _cookies;
    private readonly SessionExpiryPolicy _expiry;
    private readonly SessionValueSerializer _serializer;
    private readonly ISessionValidator[] _validators;
    private readonly TimeProvider _timeProvider;
    private readonly SessionMetrics _metrics;
    private readonly ILogger _logger;

    public SessionLoader(
        SessionPersistence persistence,
        SessionCookieWriter cookies,
        SessionExpiryPolicy expiry,
        SessionValueSerializer serializer,
        ISessionValidator[] validators,
        TimeProvider timeProvider,
        SessionMetrics metrics,
        ILogger logger)
    {
        _persistence = persistence;
        _cookies = cookies;
        _expiry = expiry;
        _serializer = serializer;
        _validators = validators;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Loads the session. Throws only when a server store (or a validator's own store) fails.</summary>
    public async ValueTask<ActiveSession> LoadAsync(HttpContext context)
    {
        var first = _cookies.Read(context.Request, 0);
        if (first.IsEmpty)
        {
            return Fresh(cameWithCookie: false);
        }

        var loaded = await LoadCookieAsync(first, context.RequestAborted).ConfigureAwait(false);
        if (loaded.Data is null)
        {
            // Several cookies of this name (another Path or Domain, one tossed in by a sibling subdomain): the first that
            // opens wins, the rest are ignored.
            for (int index = 1; index < MaxCandidateCookies && loaded.Data is null; index++)
            {
                var next = _cookies.Read(context.Request, index);
                if (next.IsEmpty)
                {
                    break;
                }

                var candidate = await LoadCookieAsync(next, context.RequestAborted).ConfigureAwait(false);
                if (candidate.Data is not null)
                {
                    loaded = candidate;
                }
            }
        }

        if (loaded.Data is not { } data)
        {
            return Rejected(loaded.Rejection ?? SessionRejection.Malformed);
        }

        var now = _timeProvider.GetUtcNow();
        bool expired = data.IsDeleted || _expiry.CheckExpired(data, now);
        var active = new ActiveSession(new Session(data, _serializer, isNew: false), cameWithCookie: true, loaded);
        if (expired)
        {
            _metrics.Expired();
            SessionLog.SessionExpired(_logger);
            await DeleteRecordAsync(active, context.RequestAborted).ConfigureAwait(false);
            return Fresh(cameWithCookie: true);
        }

        if (_validators.Length > 0 && !await IsValidAsync(context, active.Session).ConfigureAwait(false))
        {
            _metrics.Rejected(SessionRejection.Revoked);
            SessionLog.CookieRejected(_logger, SessionRejection.Revoked.ToTagValue());
            await DeleteRecordAsync(active, context.RequestAborted).ConfigureAwait(false);
            return Fresh(cameWithCookie: true);
        }

        _metrics.Loaded();
        return active;
    }

    /// <summary>A fresh, empty session.</summary>
    /// <param name="cameWithCookie">Whether the request's cookie must be cleared when the session stays empty.</param>
    public ActiveSession Fresh(bool cameWithCookie) =>
        new(new Session(new SessionData(), _serializer, isNew: true), cameWithCookie, default);

    private ValueTask<SessionLoadResult> LoadCookieAsync(ReadOnlyMemory<char> cookie, CancellationToken cancellationToken) =>
        _cookies.MeasureCookie(cookie.Length) > SessionCookieWriter.MaxCookieSize
            ? ValueTask.FromResult(SessionLoadResult.Rejected(SessionRejection.Oversize))
            : _persistence.LoadAsync(cookie, cancellationToken);

    private async ValueTask<bool> IsValidAsync(HttpContext context, Session session)
    {
        var validation = new SessionValidationContext(context, session);
        foreach (var validator in _validators)
        {
            if (!await validator.ValidateAsync(validation).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private async Task DeleteRecordAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        try
        {
            await _persistence.DeleteAsync(active, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            SessionLog.ExpiredRecordNotDeleted(_logger, exception);
        }
    }

    private ActiveSession Rejected(SessionRejection reason)
    {
        _metrics.Rejected(reason);
        SessionLog.CookieRejected(_logger, reason.ToTagValue());

        // An id the store does not know may be one rotated a moment ago by a parallel request (a login): the browser may
        // already hold the new cookie, so this response must not clear it. Every other bad cookie is cleared.
        return Fresh(cameWithCookie: reason != SessionRejection.UnknownSession);
    }
}
