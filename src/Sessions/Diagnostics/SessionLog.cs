using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>Log messages. None of them carries a key, a cookie or a session id.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(1, LogLevel.Debug, "Session cookie rejected ({Reason}); a fresh session takes its place.")]
    public static partial void CookieRejected(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Session expired; a fresh session takes its place.")]
    public static partial void SessionExpired(ILogger logger);

    [LoggerMessage(3, LogLevel.Debug, "Session created.")]
    public static partial void SessionCreated(ILogger logger);

    [LoggerMessage(4, LogLevel.Debug, "Session saved.")]
    public static partial void SessionSaved(ILogger logger);

    [LoggerMessage(5, LogLevel.Debug, "Session ended; its cookie was cleared.")]
    public static partial void SessionEnded(ILogger logger);

    [LoggerMessage(6, LogLevel.Debug, "Session id regenerated.")]
    public static partial void SessionRotated(ILogger logger);

    [LoggerMessage(7, LogLevel.Error, "The session store could not be read; the request was answered with 503.")]
    public static partial void StoreReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "The session could not be saved; the request was answered with {StatusCode}.")]
    public static partial void StoreWriteFailed(ILogger logger, int statusCode, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "A session write lost a race with another request; its changes were applied to the fresh data (attempt {Attempt}).")]
    public static partial void ConcurrencyConflictReplayed(ILogger logger, int attempt);

    [LoggerMessage(10, LogLevel.Information, "The session was deleted by another request while this one ran; this request's changes were dropped.")]
    public static partial void DeletedConcurrently(ILogger logger);

    [LoggerMessage(11, LogLevel.Warning, "A stored session is not valid session JSON and was ignored.")]
    public static partial void StoredSessionCorrupt(ILogger logger);

    [LoggerMessage(13, LogLevel.Debug, "Session cookie sealed with an older key; re-sealed with the current one.")]
    public static partial void ResealedWithCurrentKey(ILogger logger);

    [LoggerMessage(14, LogLevel.Warning, "The expired session's record could not be deleted; the store's own expiry will remove it.")]
    public static partial void ExpiredRecordNotDeleted(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "The session was not saved: it is {Size} bytes, over the {Limit} bytes its store takes; the request was answered with 500 and the saved session is unchanged.")]
    public static partial void SessionTooLarge(ILogger logger, int size, int limit, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "A response that sets the session cookie had Cache-Control 'public'; it was made 'private' so no shared cache keeps the cookie. (Logged once.)")]
    public static partial void PublicCacheControlMadePrivate(ILogger logger);

    [LoggerMessage(17, LogLevel.Debug, "The endpoint threw; the session's changes in this request were not saved.")]
    public static partial void ChangesAbandoned(ILogger logger);
}
