using Microsoft.AspNetCore.Http.Features;

namespace SessionsServerless.Lambda;

/// <summary>RequestAborted for an invocation: cancelled shortly before Lambda's deadline, or by <see cref="Abort"/>.</summary>
internal sealed class LambdaRequestLifetimeFeature : IHttpRequestLifetimeFeature, IDisposable
{
    private readonly CancellationTokenSource _aborted;

    public LambdaRequestLifetimeFeature(DateTimeOffset deadline, TimeSpan margin, TimeProvider timeProvider)
    {
        _aborted = new CancellationTokenSource();
        if (deadline != DateTimeOffset.MaxValue)
        {
            var delay = deadline - margin - timeProvider.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                _aborted.Cancel();
            }
            else
            {
                _aborted.Dispose();
                _aborted = new CancellationTokenSource(delay, timeProvider);
            }
        }

        RequestAborted = _aborted.Token;
    }

    public CancellationToken RequestAborted { get; set; }

    /// <summary>Whether the deadline (or an abort) cancelled the request.</summary>
    public bool IsAborted => _aborted.IsCancellationRequested;

    public void Abort() => _aborted.Cancel();

    public void Dispose() => _aborted.Dispose();
}
