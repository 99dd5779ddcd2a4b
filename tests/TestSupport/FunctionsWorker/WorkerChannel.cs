using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SessionsServerless.TestSupport.FunctionsWorker.Rpc;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// The host's end of the worker's event stream: one writer loop (gRPC allows one write at a time), the replies the
/// handshake waits for, invocation responses matched by invocation id, and every RpcLog the worker sent.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<string> _started = NewSource<string>();
    private readonly TaskCompletionSource<WorkerInitResponse> _initialized = NewSource<WorkerInitResponse>();
    private readonly TaskCompletionSource<FunctionMetadataResponse> _indexed = NewSource<FunctionMetadataResponse>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
    private readonly List<WorkerLog> _logs = [];
    private int _attached;

    /// <summary>Completes with the worker id when the worker opened the stream with StartStream.</summary>
    public Task<string> Started => _started.Task;

    public Task<WorkerInitResponse> Initialized => _initialized.Task;

    public Task<FunctionMetadataResponse> Indexed => _indexed.Task;

    /// <summary>Completes when the stream ended (the worker closed it, or the host did).</summary>
    public Task Closed => _closed.Task;

    public IReadOnlyList<WorkerLog> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new InvalidOperationException("The worker's event stream is closed.");
        }
    }

    public Task<FunctionLoadResponse> ExpectLoad(string functionId) => _loads.GetOrAdd(functionId, _ => NewSource<FunctionLoadResponse>()).Task;

    public Task<InvocationResponse> ExpectInvocation(string invocationId) => _invocations.GetOrAdd(invocationId, _ => NewSource<InvocationResponse>()).Task;

    public void ForgetInvocation(string invocationId) => _invocations.TryRemove(invocationId, out _);

    /// <summary>Ends the host's side of the stream after the messages already queued (e.g. WorkerTerminate).</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Runs the stream of one worker connection until either side ends it.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _attached, 1) != 0)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "A worker is already connected to this host."));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteAsync(responses, stop.Token);
        try
        {
            while (await requests.MoveNext(stop.Token))
            {
                Receive(requests.Current);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker went away or the host is stopping: the stream is over either way.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            await stop.CancelAsync();
            try
            {
                await writing;
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or Grpc.Core.RpcException)
            {
            }

            Close();
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
        {
            await responses.WriteAsync(message, cancellationToken);
        }
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _initialized.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _indexed.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                _loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => NewSource<FunctionLoadResponse>()).TrySetResult(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                _invocations.GetOrAdd(message.InvocationResponse.InvocationId, _ => NewSource<InvocationResponse>()).TrySetResult(message.InvocationResponse);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                lock (_logs)
                {
                    _logs.Add(ToLog(message.RpcLog));
                }

                break;
            default:
                // Messages this host does not use (heartbeats, status responses) are ignored, as fields unknown to the
                // trimmed protocol definition are.
                break;
        }
    }

    private void Close()
    {
        var closed = new InvalidOperationException("The worker's event stream closed.");
        _started.TrySetException(closed);
        _initialized.TrySetException(closed);
        _indexed.TrySetException(closed);
        foreach (var pending in _loads.Values)
        {
            pending.TrySetException(closed);
        }

        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(closed);
        }

        _closed.TrySetResult();
    }

    internal static WorkerLog ToLog(RpcLog log) => new(
        string.IsNullOrEmpty(log.InvocationId) ? null : log.InvocationId,
        log.Category,
        (LogLevel)(int)log.Level,
        log.Message,
        log.Exception is { } exception ? exception.Message : null);

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
