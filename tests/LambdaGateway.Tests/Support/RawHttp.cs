using System.Net.Sockets;
using System.Text;

namespace SessionsServerless.LambdaGateway.Tests.Support;

/// <summary>Sends a request exactly as written (repeated header lines, encoded paths), which HttpClient would normalize.</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and a body; returns the status code.</summary>
    public static async Task<int> SendAsync(Uri address, string head, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        var request = new StringBuilder(head.TrimEnd('\r', '\n').Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        request.Append("\r\nHost: ").Append(address.Authority).Append("\r\nConnection: close\r\n");
        if (body is not null)
        {
            request.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        string statusLine = await reader.ReadLineAsync() ?? throw new InvalidOperationException("The gateway closed the connection without answering.");
        await reader.ReadToEndAsync();
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
