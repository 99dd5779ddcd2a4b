using Microsoft.AspNetCore.Http;

namespace SessionsServerless.Lambda;

/// <summary>Settings of the Lambda host that <c>AddLambdaHosting</c> adds.</summary>
public sealed class LambdaHostingOptions
{
    /// <summary>
    /// How long before an invocation's deadline <c>HttpContext.RequestAborted</c> is cancelled, so the app can stop and an
    /// answer still reaches Lambda in time. Default: 500 milliseconds. Must not be negative.
    /// </summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A base path to strip from the front of every request's path into <c>HttpContext.Request.PathBase</c>, for a custom
    /// domain whose API mapping (base path mapping) leaves its key in the path the event carries, e.g. <c>/v1</c> for
    /// <c>https://api.example.com/v1/...</c>. Matched by whole segments, ignoring case, as <c>UsePathBase</c> does; a
    /// path without it is served unchanged. Default: none (the stage of a REST API or a named HTTP API stage is split off
    /// on its own).
    /// </summary>
    public PathString PathBase { get; set; }
}
