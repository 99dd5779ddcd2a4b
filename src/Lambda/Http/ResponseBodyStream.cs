namespace SessionsServerless.Lambda;

/// <summary>The response body: starts the response before the first byte is written or flushed, then buffers or streams.</summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly LambdaResponseFeature _response;

    public ResponseBodyStream(LambdaResponseFeature response)
    {
        _response = response;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _response.WriteBodyAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _response.StartAsync(cancellationToken);

    public override void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfSynchronousIODisallowed();
        _response.WriteBody(buffer.AsSpan(offset, count));
    }

    public override void Flush()
    {
        ThrowIfSynchronousIODisallowed();
        _response.StartAsync().GetAwaiter().GetResult();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void ThrowIfSynchronousIODisallowed()
    {
        if (!_response.AllowSynchronousIO)
        {
            throw new InvalidOperationException("Synchronous operations are disallowed. Call WriteAsync or set AllowSynchronousIO to true instead.");
        }
    }
}
