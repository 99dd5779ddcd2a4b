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

    /// <summary>
    /// Streams every response (as <c>WithLambdaResponseStreaming()</c> does for one endpoint): the status, headers and
    /// cookies go first, then the body as the app writes it. Needs a Function URL with <c>InvokeMode: RESPONSE_STREAM</c>
    /// or an API Gateway integration that streams. Responses to load balancer events are always buffered. Default: false.
    /// </summary>
    public bool ResponseStreaming { get; set; }

    /// <summary>
    /// With Lambda SnapStart (<c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>), run in this order before Lambda takes the
    /// snapshot, after the app started and the warm-up requests ran. A hook that throws fails the initialization (reported to
    /// <c>/runtime/init/error</c>). Ignored without SnapStart.
    /// </summary>
    public IList<Func<IServiceProvider, CancellationToken, Task>> BeforeSnapshot { get; } = [];

    /// <summary>
    /// With Lambda SnapStart, run in this order after each restore from the snapshot, before the first invocation (and after
    /// the session code forgot the salts and random bytes it drew before the snapshot). A hook that throws fails the restore
    /// (reported to <c>/runtime/restore/error</c>). Ignored without SnapStart.
    /// </summary>
    public IList<Func<IServiceProvider, CancellationToken, Task>> AfterRestore { get; } = [];

    /// <summary>
    /// With Lambda SnapStart, paths requested (GET, as HTTP API events) through the app before the snapshot, so their code is
    /// compiled and their caches filled in the snapshot. Their responses are discarded. Ignored without SnapStart.
    /// </summary>
    public IList<string> SnapshotWarmupPaths { get; } = [];

    /// <summary>
    /// Whether the GC's heap hard limit is set at startup to the function's memory (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>),
    /// as AWS's .NET runtime client does: the .NET runtime does not see Lambda's memory limit on its own. Skipped when the app
    /// configured a heap limit itself (<c>DOTNET_GCHeapHardLimit</c>, <c>DOTNET_GCHeapHardLimitPercent</c> or the
    /// <c>System.GC.HeapHardLimit*</c> runtime configuration), when the GC already works within less memory, and when
    /// <c>AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK=true</c>. Default: true.
    /// </summary>
    public bool HeapHardLimitFromMemorySize { get; set; } = true;
}
