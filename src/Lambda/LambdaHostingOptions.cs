namespace SessionsServerless.Lambda;

/// <summary>Settings of the Lambda host that <c>AddLambdaHosting</c> adds.</summary>
public sealed class LambdaHostingOptions
{
    /// <summary>
    /// How long before an invocation's deadline <c>HttpContext.RequestAborted</c> is cancelled, so the app can stop and an
    /// answer still reaches Lambda in time. Default: 500 milliseconds. Must not be negative.
    /// </summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(500);
}
