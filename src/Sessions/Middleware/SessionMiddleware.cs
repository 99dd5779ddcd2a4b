using Microsoft.AspNetCore.Http;

namespace SessionsServerless;

/// <summary>
/// Attaches each request's session (opened the first time an endpoint asks for it) and saves it, once, just before the
/// response starts. The lifecycle itself is <see cref="SessionLifecycle"/>, shared with the other hosts.
/// </summary>
internal sealed class SessionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SessionLifecycle _lifecycle;

    public SessionMiddleware(RequestDelegate next, SessionLifecycle lifecycle)
    {
        _next = next;
        _lifecycle = lifecycle;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = _lifecycle.Begin(context);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (!await _lifecycle.HandleExceptionAsync(request, exception).ConfigureAwait(false))
            {
                throw;
            }

            return;
        }

        await _lifecycle.CompleteAsync(request, responseIsReplaceable: true).ConfigureAwait(false);
    }
}
