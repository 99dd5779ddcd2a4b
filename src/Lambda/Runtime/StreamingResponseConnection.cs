using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SessionsServerless.Lambda;

/// <summary>
/// One streamed response: <c>POST /runtime/invocation/{id}/response</c> with <c>Lambda-Runtime-Function-Response-Mode:
/// streaming</c> and chunked transfer, each write sent as its own chunk as the app writes it. A failure after the first byte
/// ends the body with the <c>Lambda-Runtime-Function-Error-Type</c> and <c>Lambda-Runtime-Function-Error-Body</c> trailers,
/// as the Runtime API documents. HttpClient cannot send request trailers, so this speaks HTTP/1.1 on its own connection.
/// </summary>
internal sealed class StreamingResponseConnection : IAsyncDisposable
{
    /// <summary>The content type of a body that starts with the HTTP integration prelude (status, headers, cookies).</summary>
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    private const string ErrorTypeTrailer = "Lambda-Runtime-Function-Error-Type";
    private const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _operation;
    private bool _ended;

    private StreamingResponseConnection(TcpClient tcp, string operation)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _operation = operation;
    }

    /// <summary>Connects to the Runtime API and sends the request head.</summary>
    public static async Task<StreamingResponseConnection> OpenAsync(Uri baseAddress, string requestId, string contentType, CancellationToken cancellationToken)
    {
        string path = baseAddress.AbsolutePath + "runtime/invocation/" + Uri.EscapeDataString(requestId) + "/response";
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken).ConfigureAwait(false);
            var connection = new StreamingResponseConnection(tcp, "POST " + path);
            string head =
                $"POST {path} HTTP/1.1\r\n" +
                $"Host: {baseAddress.Authority}\r\n" +
                "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
                "Transfer-Encoding: chunked\r\n" +
                $"Trailer: {ErrorTypeTrailer}, {ErrorBodyTrailer}\r\n" +
                $"Content-Type: {contentType}\r\n" +
                "Connection: close\r\n\r\n";
            await connection._stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="data"/> as one chunk, now.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }

        byte[] frame = Frame(data.Span);
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="data"/> as one chunk, blocking.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty)
        {
            _stream.Write(Frame(data));
            _stream.Flush();
        }
    }

    /// <summary>Ends the body and waits for the Runtime API's answer.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API did not accept the response.</exception>
    public Task CompleteAsync(CancellationToken cancellationToken) => EndAsync("0\r\n\r\n", cancellationToken);

    /// <summary>Ends the body with the error trailers, so Lambda reports the invocation as failed, and waits for the answer.</summary>
    public Task FailAsync(LambdaError error, CancellationToken cancellationToken) =>
        EndAsync(
            "0\r\n" +
            $"{ErrorTypeTrailer}: {HeaderSafe(error.ErrorType)}\r\n" +
            $"{ErrorBodyTrailer}: {Convert.ToBase64String(error.ToJson())}\r\n\r\n",
            cancellationToken);

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private static byte[] Frame(ReadOnlySpan<byte> data)
    {
        string size = data.Length.ToString("x", CultureInfo.InvariantCulture);
        byte[] frame = new byte[size.Length + 2 + data.Length + 2];
        Encoding.ASCII.GetBytes(size, frame);
        CrLf.CopyTo(frame, size.Length);
        data.CopyTo(frame.AsSpan(size.Length + 2));
        CrLf.CopyTo(frame, frame.Length - 2);
        return frame;
    }

    private static string HeaderSafe(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(c is >= ' ' and < (char)0x7F ? c : '_');
        }

        return builder.ToString();
    }

    private async Task EndAsync(string ending, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(ending), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        int status = await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status is < 200 or > 299)
        {
            throw new RuntimeApiException(_operation, (System.Net.HttpStatusCode)status);
        }
    }

    // The status line is all that matters; the connection closes afterwards.
    private async Task<int> ReadStatusAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            int length = 0;
            while (length < buffer.Length)
            {
                int read = await _stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                int lineEnd = buffer.AsSpan(0, length).IndexOf("\r\n"u8);
                if (lineEnd >= 0)
                {
                    // HTTP/1.1 202 Accepted
                    string line = Encoding.ASCII.GetString(buffer, 0, lineEnd);
                    string[] parts = line.Split(' ', 3);
                    if (parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
                    {
                        return status;
                    }

                    break;
                }
            }

            throw new IOException($"The Lambda Runtime API closed the connection without a valid answer to {_operation}.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
