using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SessionsServerless.Lambda;

/// <summary>
/// The response of one invocation, buffered in memory (Lambda takes the whole response at once) unless it is streamed. It
/// behaves as Kestrel's does where an app can tell: the OnStarting callbacks run (last registered first) before the first
/// body byte is written or flushed, or when the app finishes, and only then are the status and headers fixed; OnCompleted
/// callbacks run after the response was handed to Lambda. A streamed response is opened right after the OnStarting callbacks
/// (so the session's Set-Cookie is in its prelude), and each body write is sent as it is made.
/// </summary>
internal sealed class LambdaResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature, IHttpBodyControlFeature, IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly HeaderDictionary _headers = new();
    private readonly ResponseBodyStream _stream;
    private List<(Func<object, Task> Callback, object State)>? _onStarting;
    private List<(Func<object, Task> Callback, object State)>? _onCompleted;
    private PipeWriter? _writer;
    private int _statusCode = StatusCodes.Status200OK;
    private Task? _starting;
    private bool _firingOnStarting;
    private Stream _body;
    private readonly Func<int, IHeaderDictionary, Task<StreamingResponseConnection?>>? _openStream;

    /// <param name="openStream">Called once the response starts, with its status and headers: opens the streamed response, or
    /// returns <see langword="null"/> to buffer it.</param>
    public LambdaResponseFeature(Func<int, IHeaderDictionary, Task<StreamingResponseConnection?>>? openStream = null)
    {
        _openStream = openStream;
        _stream = new ResponseBodyStream(this);
        _body = _stream;
        Headers = _headers;
    }

    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted(nameof(StatusCode));
            _statusCode = value;
        }
    }

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; }

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body
    {
        get => _body;
        set => _body = value;
    }

    public bool HasStarted { get; private set; }

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

    public bool AllowSynchronousIO { get; set; }

    /// <summary>The streamed response, once it was opened; <see langword="null"/> while buffering.</summary>
    public StreamingResponseConnection? Streaming { get; private set; }

    /// <summary>The body written so far.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

    public void OnStarting(Func<object, Task> callback, object state)
    {
        ThrowIfStarted(nameof(OnStarting));
        (_onStarting ??= []).Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => (_onCompleted ??= []).Add((callback, state));

    /// <summary>Runs the OnStarting callbacks once; afterwards the status and headers are read-only.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        // A callback that writes to the body must not start the response again.
        if (HasStarted || _firingOnStarting)
        {
            return Task.CompletedTask;
        }

        return _starting ??= FireOnStartingAsync();
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        await StartAsync().ConfigureAwait(false);
    }

    public void DisableBuffering()
    {
        // A buffered response goes to Lambda in one piece; a streamed one sends each write as it is made.
    }

    /// <summary>Writes body bytes: starts the response first, then streams or buffers them.</summary>
    public async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (Streaming is { } streaming)
        {
            await streaming.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _buffer.Write(data.Span);
        }
    }

    /// <summary>Writes body bytes synchronously.</summary>
    public void WriteBody(ReadOnlySpan<byte> data)
    {
        StartAsync().GetAwaiter().GetResult();
        if (Streaming is { } streaming)
        {
            streaming.Write(data);
        }
        else
        {
            _buffer.Write(data);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_stream, path, offset, count, cancellationToken);

    /// <summary>Replaces whatever the app produced with an empty error response, as Kestrel does when an app fails before its response starts.</summary>
    public void ResetTo(int statusCode)
    {
        _headers.IsReadOnly = false;
        _headers.Clear();
        _headers.ContentLength = 0;
        _statusCode = statusCode;
        ReasonPhrase = null;
        _buffer.SetLength(0);
        HasStarted = true;
        _headers.IsReadOnly = true;
    }

    /// <summary>Runs the OnCompleted callbacks, last registered first; returns the first failure, if any.</summary>
    public async Task<Exception?> FireOnCompletedAsync()
    {
        Exception? failure = null;
        if (_onCompleted is null)
        {
            return null;
        }

        for (int i = _onCompleted.Count - 1; i >= 0; i--)
        {
            try
            {
                await _onCompleted[i].Callback(_onCompleted[i].State).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failure ??= exception;
            }
        }

        return failure;
    }

    private async Task FireOnStartingAsync()
    {
        _firingOnStarting = true;
        try
        {
            if (_onStarting is not null)
            {
                for (int i = _onStarting.Count - 1; i >= 0; i--)
                {
                    await _onStarting[i].Callback(_onStarting[i].State).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _firingOnStarting = false;
        }

        HasStarted = true;
        _headers.IsReadOnly = true;
        if (_openStream is not null)
        {
            Streaming = await _openStream(_statusCode, _headers).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _buffer.Dispose();
    }

    private void ThrowIfStarted(string member)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException($"{member} cannot be set because the response has already started.");
        }
    }
}
