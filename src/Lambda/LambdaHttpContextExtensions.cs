using Microsoft.AspNetCore.Http;

namespace SessionsServerless.Lambda;

/// <summary>Gets the Lambda invocation behind a request.</summary>
public static class LambdaHttpContextExtensions
{
    /// <summary>The Lambda invocation that carried this request: request id, function ARN, deadline and remaining time.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The invocation, or <see langword="null"/> when the app is not running on Lambda (for example on Kestrel).</returns>
    public static LambdaInvocation? GetLambdaInvocation(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<LambdaInvocation>();
    }
}
