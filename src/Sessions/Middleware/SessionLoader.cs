using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>
/// Turns the request's session cookie into a session: a valid, unexpired one as it was saved, anything else (no cookie,
/// tampered, foreign, oversize, expired, unknown) a fresh, empty one.
/// </summary>
internal sealed class SessionLoader
{
    private readonly SessionPersistence _persistence;
    private readonly SessionCookieWriter _cookies;
    private readonly SessionExpiryPolicy _expiry;
    private readonly SessionValueSerializer _serializer;
    private readonly TimeProvider _timeProvider;
    private readonly SessionMetrics _metrics;
    private readonly ILogger _logger;

    public SessionLoader(
        SessionPersistence persistence,
        SessionCookieWriter cookies,
        SessionExpiryPolicy expiry,
        SessionValueSerializer serializer,
        TimeProvider timeProvider,
        SessionMetrics metrics,
        ILogger logger)
    {
        _persistence = persistence;
        _cookies = cookies;
        _expiry = expiry;
        _serializer = serializer;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Loads the session. Throws only when a server store fails.</summary>
    public async ValueTask<ActiveSession> LoadAsync(HttpContext context)
    {
        var cookie = _cookies.Read(context.Request);
        if (cookie.IsEmpty)
        {
            return Fresh(cameWithCookie: false);
        }

        if (_cookies.MeasureCookie(cookie.Length) > SessionCookieWriter.MaxCookieSize)
        {
            return Rejected(SessionRejection.Oversize);
        }

        var loaded = await _persistence.LoadAsync(cookie, context.RequestAborted).ConfigureAwait(false);
        if (loaded.Data is not { } data)
        {
            return Rejected(loaded.Rejection ?? SessionRejection.Malformed);
        }

        var active = new ActiveSession(new Session(data, _serializer, isNew: false), cameWithCookie: true, loaded);
        if (data.IsDeleted || _expiry.IsExpired(data, _timeProvider.GetUtcNow()))
        {
            _metrics.Expired();
            SessionLog.SessionExpired(_logger);
            await DeleteExpiredAsync(active, context.RequestAborted).ConfigureAwait(false);
            return Fresh(cameWithCookie: true);
        }

        _metrics.Loaded();
        return active;
    }

    private async Task DeleteExpiredAsync(ActiveSession active, CancellationToken cancellationToken)
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
        return Fresh(cameWithCookie: true);
    }

    private ActiveSession Fresh(bool cameWithCookie) =>
        new(new Session(new SessionData(), _serializer, isNew: true), cameWithCookie, default);
}
