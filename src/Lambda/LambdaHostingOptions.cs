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
    /// Streams every response (as <c>WithLambdaResponseStreaming()</c> does for one endpoint): the status, headers and
    /// cookies go first, then the body as the app writes it. Needs a Function URL with <c>InvokeMode: RESPONSE_STREAM</c>
    /// or an API Gateway integration that streams. Responses to load balancer events are always buffered. Default: false.
    /// </summary>
    public bool ResponseStreaming { get; set; }
}
