using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>
/// The response of one invocation, buffered in memory (Lambda takes the whole response at once) unless it is streamed. It
/// behaves as Kestrel's does where an app can tell: the OnStarting callbacks run (last registered first) before the first
/// body byte is written or flushed, or when the app finishes, and only then are the status and headers fixed; OnCompleted
/// callbacks run after the response was handed to Lambda. A streamed response is opened right after the OnStarting callbacks
/// (so the session's Set-Cookie is in its prelude), and each body write is sent as it is made. Bodies follow Kestrel's rules: a HEAD response's body is discarded, writing
/// one for a 204, 205 or 304 throws, writing more than an app-set Content-Length throws and writing less fails the response;
/// a Transfer-Encoding on a response that cannot have a body fails it.
/// </summary>
internal sealed class LambdaResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature, IHttpBodyControlFeature, IDisposable
{
    private readonly MemoryStream _buffer = new();
    private long _written;
    private readonly LambdaResponseHeaders _headers = new();
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

    /// <summary>The request's method: a HEAD response has no body.</summary>
    public string RequestMethod { get; set; } = HttpMethods.Get;

    /// <summary>Whether the response can carry a body: not for HEAD, 204, 205 or 304.</summary>
    public bool CanHaveBody =>
        !HttpMethods.IsHead(RequestMethod) && _statusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified);

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
        // What a response without a body buffered in the writer was refused once already (the app saw the exception).
        if (_writer is not null && CanHaveBody)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        if (!HasStarted && CanHaveBody && _headers.ContentLength is > 0 && _written == 0)
        {
            // Nothing was written: as Kestrel does, the app failed before its response started (a 500).
            throw TooFewBytes();
        }

        await StartAsync().ConfigureAwait(false);
        if (CanHaveBody && _headers.ContentLength is { } length && _written < length)
        {
            throw TooFewBytes();
        }
    }

    /// <summary>Checks a write of <paramref name="count"/> bytes against Kestrel's rules; returns whether to keep them.</summary>
    /// <exception cref="InvalidOperationException">The response cannot have a body, or would exceed its Content-Length.</exception>
    public bool AcceptWrite(int count)
    {
        if (count == 0)
        {
            return true;
        }

        if (HttpMethods.IsHead(RequestMethod))
        {
            return false;
        }

        if (!CanHaveBody)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Writing to the response body is invalid for responses with status code {_statusCode}."));
        }

        if (_headers.ContentLength is { } length && _written + count > length)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Response Content-Length mismatch: too many bytes written ({_written + count} of {length})."));
        }

        _written += count;
        return true;
    }

    public void DisableBuffering()
    {
        // A buffered response goes to Lambda in one piece; a streamed one sends each write as it is made.
    }

    /// <summary>Writes body bytes: starts the response first, then streams or buffers them.</summary>
    public async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (!AcceptWrite(data.Length))
        {
            return;
        }

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
        if (!AcceptWrite(data.Length))
        {
            return;
        }

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
        _written = 0;
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

        if (!CanHaveBody && _headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Setting the header Transfer-Encoding is not allowed on responses with status code {_statusCode}."));
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

    private InvalidOperationException TooFewBytes() =>
        new(string.Create(CultureInfo.InvariantCulture, $"Response Content-Length mismatch: too few bytes written ({_written} of {_headers.ContentLength})."));

    private void ThrowIfStarted(string member)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException($"{member} cannot be set because the response has already started.");
        }
    }
}
