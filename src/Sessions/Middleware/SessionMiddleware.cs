using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionsServerless;

/// <summary>
/// Loads the request's session before the endpoint runs and saves it, once, just before the response starts.
/// </summary>
internal sealed class SessionMiddleware
{
    private static readonly Func<object, Task> CommitOnStarting = static state =>
    {
        var (context, active, committer) = ((HttpContext, ActiveSession, SessionCommitter))state;
        return committer.CommitAsync(context, active, responseIsReplaceable: false);
    };

    private readonly RequestDelegate _next;
    private readonly SessionLoader _loader;
    private readonly SessionCommitter _committer;
    private readonly ILogger _logger;

    public SessionMiddleware(RequestDelegate next, SessionRuntime runtime)
    {
        _next = next;
        _loader = runtime.Loader;
        _committer = runtime.Committer;
        _logger = runtime.Logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ActiveSession active;
        try
        {
            active = await _loader.LoadAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Handing out a fresh session here would orphan the stored one: answer 503 and keep the cookie as it is.
            SessionLog.StoreReadFailed(_logger, exception);
            await SessionCommitter.FailAsync(context, StatusCodes.Status503ServiceUnavailable, "The session store is unavailable. Please try again.", responseIsReplaceable: true).ConfigureAwait(false);
            return;
        }

        context.Features.Set(new SessionFeature(active.Session));
        context.Response.OnStarting(CommitOnStarting, (context, active, _committer));
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch
        {
            // The endpoint failed: whatever it changed is not saved.
            active.Session.Abandon();
            throw;
        }

        if (!context.Response.HasStarted)
        {
            await _committer.CommitAsync(context, active, responseIsReplaceable: true).ConfigureAwait(false);
        }
    }
}
