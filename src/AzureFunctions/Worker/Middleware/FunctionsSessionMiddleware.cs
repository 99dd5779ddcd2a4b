using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SessionsServerless.AzureFunctions.Worker;

/// <summary>
/// Gives each HTTP-triggered invocation its session through the core lifecycle the ASP.NET Core middleware uses, and
/// saves it once before the response starts. Other triggers pass through untouched.
/// </summary>
/// <remarks>
/// The ASP.NET Core integration runs this middleware inside its own: the function's <c>IActionResult</c> is executed
/// after this middleware returns, so the session is committed here, before the result writes the first byte. When the
/// commit fails the lifecycle answers (503, or 409 for a lasting write conflict) and the invocation's result is replaced
/// by an empty one, so the function's result does not overwrite that answer.
/// </remarks>
internal sealed class FunctionsSessionMiddleware : IFunctionsWorkerMiddleware
{
    private readonly SessionLifecycle _lifecycle;

    public FunctionsSessionMiddleware(SessionLifecycle lifecycle) => _lifecycle = lifecycle;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } httpContext)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = _lifecycle.Begin(httpContext);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (!await _lifecycle.HandleExceptionAsync(request, exception).ConfigureAwait(false))
            {
                throw;
            }

            ReplaceResult(context);
            return;
        }

        bool startedBefore = httpContext.Response.HasStarted;
        await _lifecycle.CompleteAsync(request, responseIsReplaceable: true).ConfigureAwait(false);
        if (!startedBefore && httpContext.Response.HasStarted)
        {
            // Only a failed commit writes the response here: it carries the answer now, not the function's result.
            ReplaceResult(context);
        }
    }

    private static void ReplaceResult(FunctionContext context)
    {
        if (context.GetInvocationResult() is { } result)
        {
            result.Value = new EmptyResult();
        }
    }
}
