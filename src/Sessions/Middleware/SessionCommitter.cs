using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless;

/// <summary>
/// Saves a request's session once, before the response starts: decides whether anything must be written, writes it,
/// and sets or clears the cookie.
/// </summary>
internal sealed class SessionCommitter
{
    private readonly SessionPersistence _persistence;
    private readonly SessionCookieWriter _cookies;
    private readonly SessionExpiryPolicy _expiry;
    private readonly TimeProvider _timeProvider;
    private readonly SessionMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _noStore;
    private readonly bool _isCookieStore;
    private int _publicCacheControlLogged;

    public SessionCommitter(
        SessionPersistence persistence,
        SessionCookieWriter cookies,
        SessionExpiryPolicy expiry,
        SessionsOptions options,
        TimeProvider timeProvider,
        SessionMetrics metrics,
        ILogger logger)
    {
        _persistence = persistence;
        _cookies = cookies;
        _expiry = expiry;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _noStore = options.NoStoreWhenCookieIsWritten;
        _isCookieStore = persistence is CookieSessionPersistence;
    }

    /// <summary>
    /// Saves the session. A store failure is logged and turned into a 503 (409 for a lasting write conflict) instead of
    /// being lost; when <paramref name="responseIsReplaceable"/> the response body says so too.
    /// </summary>
    public async Task CommitAsync(HttpContext context, ActiveSession active, bool responseIsReplaceable)
    {
        var session = active.Session;
        if (session.IsCommitted)
        {
            return;
        }

        session.MarkCommitted();
        if (session.IsAbandoned)
        {
            return;
        }

        try
        {
            await SaveAsync(context, active).ConfigureAwait(false);
        }
        catch (SessionTooLargeException exception)
        {
            // Retrying cannot help: 500 without Retry-After, and the stored session (or the browser's cookie) stays as it was.
            SessionLog.SessionTooLarge(_logger, exception.CookieSize, exception.Limit, exception);
            await FailAsync(context, StatusCodes.Status500InternalServerError, "The session is too large to be saved.", responseIsReplaceable).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            int status = exception is SessionConcurrencyException ? StatusCodes.Status409Conflict : StatusCodes.Status503ServiceUnavailable;
            SessionLog.StoreWriteFailed(_logger, status, exception);
            await FailAsync(context, status, "The session could not be saved. Please try again.", responseIsReplaceable).ConfigureAwait(false);
        }
    }

    /// <summary>Answers with an error status, without a session cookie, and a short text body when the response allows it.</summary>
    public static async Task FailAsync(HttpContext context, int status, string message, bool responseIsReplaceable)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Remove(HeaderNames.SetCookie);
        response.Headers.CacheControl = "no-store";
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "1";
        }

        if (responseIsReplaceable)
        {
            response.Headers.Remove(HeaderNames.Location);
            response.ContentLength = null;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(message).ConfigureAwait(false);
        }
    }

    private async Task SaveAsync(HttpContext context, ActiveSession active)
    {
        var session = active.Session;
        var cancellationToken = context.RequestAborted;

        if (session.IsDeleted || session.IsEmpty)
        {
            if (active.HasStoredRecord)
            {
                await _persistence.DeleteAsync(active, cancellationToken).ConfigureAwait(false);
            }

            if (active.CameWithCookie)
            {
                if (!session.IsNew)
                {
                    _metrics.Deleted();
                }

                ClearCookie(context);
            }

            return;
        }

        var now = _timeProvider.GetUtcNow();
        bool mustWrite = session.IsChanged
            || session.IsRotationRequested
            || active.SealedWithOlderKey
            || _expiry.IsRenewalDue(active.PersistedExpiresAt, session.IsTouched, now);
        if (!mustWrite)
        {
            return;
        }

        var result = await _persistence.SaveAsync(active, new SessionStamp(_expiry, now), cancellationToken).ConfigureAwait(false);
        if (result.Dropped)
        {
            return;
        }

        if (session.IsNew)
        {
            _metrics.Created();
            SessionLog.SessionCreated(_logger);
        }
        else if (session.IsRotationRequested)
        {
            _metrics.Rotated();
            SessionLog.SessionRotated(_logger);
        }

        if (active.SealedWithOlderKey)
        {
            SessionLog.ResealedWithCurrentKey(_logger);
        }

        SessionLog.SessionSaved(_logger);
        if (result.SealedCookie is { } sealedCookie)
        {
            try
            {
                CheckCookieSize(result.SealedCookieLength);
                _cookies.Write(context, sealedCookie.AsSpan(0, result.SealedCookieLength));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sealedCookie);
            }
        }
        else if (result.CookieValue is { } value)
        {
            CheckCookieSize(value.Length);
            _cookies.Write(context, value);
        }
        else if (_cookies.HasMaxAge && _cookies.Read(context.Request) is { IsEmpty: false } current)
        {
            // A persistent cookie's lifetime is renewed together with the session's.
            _cookies.Write(context, current.Span);
        }
        else
        {
            return;
        }

        MarkNoStore(context);
    }

    private void CheckCookieSize(int valueLength)
    {
        int size = _cookies.MeasureCookie(valueLength);
        if (_isCookieStore && size > SessionCookieWriter.MaxCookieSize)
        {
            throw new SessionTooLargeException(size, SessionCookieWriter.MaxCookieSize, SessionStoreNames.Cookie);
        }
    }

    private void ClearCookie(HttpContext context)
    {
        _cookies.Clear(context);
        MarkNoStore(context);
        SessionLog.SessionEnded(_logger);
    }

    private void MarkNoStore(HttpContext context)
    {
        var headers = context.Response.Headers;
        string? cacheControl = headers.CacheControl;
        if (string.IsNullOrEmpty(cacheControl))
        {
            // The app says otherwise by setting its own Cache-Control, or by turning the option off.
            if (_noStore)
            {
                headers.CacheControl = "no-store";
            }
        }
        else if (CacheControlHeader.MakePrivate(cacheControl) is { } privateCacheControl)
        {
            // A shared cache must never hand one visitor's session cookie to another, whatever the app asked for.
            headers.CacheControl = privateCacheControl;
            if (Interlocked.Exchange(ref _publicCacheControlLogged, 1) == 0)
            {
                SessionLog.PublicCacheControlMadePrivate(_logger);
            }
        }
    }
}
