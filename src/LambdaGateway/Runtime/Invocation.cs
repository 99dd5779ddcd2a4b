namespace SessionsServerless.LambdaGateway;

/// <summary>One event on its way through the Runtime API: queued, taken by the app, then ended exactly once.</summary>
internal sealed class Invocation
{
    private readonly object _lock = new();
    private readonly TaskCompletionSource _taken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _isTaken;

    public Invocation(string requestId, byte[] @event)
    {
        RequestId = requestId;
        Event = @event;
    }

    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</summary>
    public string RequestId { get; }

    public byte[] Event { get; }

    /// <summary>When the invocation times out; set when the app takes it.</summary>
    public DateTimeOffset Deadline { get; private set; }

    /// <summary>Completes when the app takes the invocation.</summary>
    public Task Taken => _taken.Task;

    /// <summary>Completes when the invocation ended.</summary>
    public Task<InvocationOutcome> Outcome => _outcome.Task;

    public bool IsTaken
    {
        get
        {
            lock (_lock)
            {
                return _isTaken;
            }
        }
    }

    /// <summary>Hands the invocation to the app, unless it already ended (for example nobody took it in time).</summary>
    public bool TryTake(DateTimeOffset deadline)
    {
        lock (_lock)
        {
            if (_isTaken || _outcome.Task.IsCompleted)
            {
                return false;
            }

            _isTaken = true;
            Deadline = deadline;
        }

        _taken.TrySetResult();
        return true;
    }

    /// <summary>Ends the invocation, unless it already ended.</summary>
    public bool TryEnd(InvocationOutcome outcome)
    {
        lock (_lock)
        {
            return _outcome.TrySetResult(outcome);
        }
    }
}
