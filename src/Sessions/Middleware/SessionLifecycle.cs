using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>
/// The one request lifecycle every host uses (the ASP.NET Core middleware, the Azure Functions worker middleware):
/// attach a session that opens lazily, then save it once, just before the response starts.
/// </summary>
internal sealed class SessionLifecycle
{
    private const string StoreUnavailableMessage = "The session store is unavailable. Please try again.";

    private readonly SessionLoader _loader;
    private readonly SessionCommitter _committer;
    private readonly bool _cookieIsEssential;
    private readonly ILogger _logger;

    public SessionLifecycle(SessionRuntime runtime)
    {
        _loader = runtime.Loader;
        _committer = runtime.Committer;
        _cookieIsEssential = runtime.CookieIsEssential;
        _logger = runtime.Logger;
    }

    /// <summary>
    /// Attaches the request's session (nothing is read until the endpoint asks for it) and registers its commit in
    /// <c>Response.OnStarting</c>.
    /// </summary>
    public SessionRequest Begin(HttpContext context)
    {
        // Without consent to non-essential cookies the session starts empty and is never saved (as ASP.NET Core's session).
        bool persistable = _cookieIsEssential || context.Features.Get<ITrackingConsentFeature>() is not { CanTrack: false };
        var request = new SessionRequest(context, this, persistable);
        context.Features.Set(request);
        context.Response.OnStarting(static state => ((SessionRequest)state).CommitOnStartingAsync(), request);
        return request;
    }

    /// <summary>The endpoint returned: saves the session now unless the response has started (then OnStarting did).</summary>
    /// <param name="request">The request's session.</param>
    /// <param name="responseIsReplaceable">Whether a failure may replace the response's body with a short text.</param>
    public Task CompleteAsync(SessionRequest request, bool responseIsReplaceable) =>
        request.Context.Response.HasStarted ? Task.CompletedTask : CommitAsync(request, responseIsReplaceable);

    /// <summary>
    /// The endpoint threw: nothing the session holds is saved. When the exception comes from the store failing to open
    /// the session, answers 503 (keeping the cookie) if the response has not started, and returns <see langword="true"/>:
    /// the exception is handled.
    /// </summary>
    public async Task<bool> HandleExceptionAsync(SessionRequest request, Exception exception)
    {
        request.Abandon();
        if (request.Active is not null)
        {
            SessionLog.ChangesAbandoned(_logger);
        }

        if (!request.OpenFailed || exception is OperationCanceledException || request.Context.Response.HasStarted)
        {
            return false;
        }

        await SessionCommitter.FailAsync(request.Context, StatusCodes.Status503ServiceUnavailable, StoreUnavailableMessage, responseIsReplaceable: true).ConfigureAwait(false);
        return true;
    }

    /// <summary>Saves the session if it was opened and may be saved.</summary>
    public Task CommitAsync(SessionRequest request, bool responseIsReplaceable) =>
        request.Active is { } active && request.IsPersistable && !request.IsAbandoned
            ? _committer.CommitAsync(request.Context, active, responseIsReplaceable)
            : Task.CompletedTask;

    /// <summary>Opens the session the request's cookie refers to. Throws <see cref="SessionStoreException"/> when the store fails.</summary>
    public async ValueTask<ActiveSession> OpenAsync(SessionRequest request)
    {
        if (!request.IsPersistable)
        {
            return _loader.Fresh(cameWithCookie: false);
        }

        try
        {
            return await _loader.LoadAsync(request.Context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Handing out a fresh session here would orphan the stored one: answer 503 and keep the cookie as it is.
            SessionLog.StoreReadFailed(_logger, exception);
            request.MarkOpenFailed();
            throw new SessionStoreException(StoreUnavailableMessage, exception);
        }
    }
}
