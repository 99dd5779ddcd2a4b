using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SessionsServerless.LambdaGateway.Tests.Support;

namespace SessionsServerless.LambdaGateway.Tests;

/// <summary>
/// Streamed responses through the gateway: the app streams to the Runtime API (prelude, then chunks) and the browser gets the
/// head at once and each piece as it arrives; a stream the function ends with the error trailers is cut off.
/// </summary>
public sealed class ResponseStreamingTests
{
    [Theory]
    [InlineData("HttpApi")]
    [InlineData("RestApi")]
    public async Task LoginDemo_stream_reaches_the_browser_event_by_event_with_its_session_cookie(string formatName)
    {
        await using var gateway = await TestGateway.StartAsync(TestApps.LoginDemo(Enum.Parse<EventFormat>(formatName)));
        var cookie = new CookieHeader();
        try
        {
            var first = await ReadEventsAsync(gateway, cookie);
            Assert.Equal(3, first.Events.Count);
            Assert.All(first.Events, e => Assert.Contains("\"visits\":1", e.Data, StringComparison.Ordinal));
            Assert.NotNull(cookie.Session);

            // Timed from the second request on, once the gateway and the app have compiled their streaming paths: the head
            // came before the app had written its last event, and each event a pause after the one before. On a loaded
            // machine (CI runs the Native AOT publishes beside this test) one process can be descheduled long enough for
            // everything to arrive at once, so the timing gets three requests; a gateway or an adapter that buffers the
            // stream fails all three.
            string? late = null;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var timed = await ReadEventsAsync(gateway, cookie);
                Assert.Equal(3, timed.Events.Count);
                Assert.All(timed.Events, e => Assert.Contains($"\"visits\":{attempt + 2}", e.Data, StringComparison.Ordinal));
                late = StreamingTimingProblem(timed);
                if (late is null)
                {
                    break;
                }
            }

            Assert.True(late is null, late);
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(gateway.Diagnostics(), exception);
        }
    }

    [Fact]
    public async Task A_stream_the_function_ends_with_the_error_trailers_is_cut_off_after_what_was_sent()
    {
        await using var gateway = await TestGateway.StartAsync(EventFormat.HttpApi);
        using var runtime = new RuntimePlayer(gateway.RuntimeApi);

        var sent = gateway.Client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        var invocation = await runtime.NextAsync();
        var api = new Uri($"http://{gateway.RuntimeApi}");
        using var client = new TcpClient();
        await client.ConnectAsync(api.Host, api.Port);
        await using var stream = client.GetStream();
        await WriteAsync(stream, $"POST /2018-06-01/runtime/invocation/{invocation.RequestId}/response HTTP/1.1\r\nHost: {api.Authority}\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n" +
            "Content-Type: application/vnd.awslambda.http-integration-response\r\nConnection: close\r\n\r\n");
        byte[] prelude = [.. "{\"statusCode\":201,\"headers\":{\"content-type\":\"text/plain\"},\"cookies\":[\"a=1\"]}"u8, .. new byte[8], .. "first part"u8];
        await WriteAsync(stream, $"{prelude.Length:x}\r\n");
        await stream.WriteAsync(prelude);
        await WriteAsync(stream, "\r\n");

        using var response = await sent;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("a=1", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        var body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64];
        int read = await body.ReadAsync(buffer);
        Assert.Equal("first part", Encoding.UTF8.GetString(buffer, 0, read));

        await WriteAsync(stream, "0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: e30=\r\n\r\n");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 202", await reader.ReadLineAsync(), StringComparison.Ordinal);

        // The browser's body ends in an error, not as a complete response.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });
        await gateway.WaitForLogAsync("The function failed mid-stream (Runtime.StreamError)");
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>What says the response was not streamed event by event, or <see langword="null"/> when it was.</summary>
    private static string? StreamingTimingProblem((TimeSpan HeadAt, List<(TimeSpan At, string Data)> Events) timed)
    {
        if (timed.Events[^1].At - timed.HeadAt < TimeSpan.FromMilliseconds(400))
        {
            return $"The head arrived {(timed.Events[^1].At - timed.HeadAt).TotalMilliseconds} ms before the last event.";
        }

        for (int i = 1; i < timed.Events.Count; i++)
        {
            if (timed.Events[i].At - timed.Events[i - 1].At < TimeSpan.FromMilliseconds(250))
            {
                return $"Event {i + 1} came {(timed.Events[i].At - timed.Events[i - 1].At).TotalMilliseconds} ms after event {i}.";
            }
        }

        return null;
    }

    private static async Task<(TimeSpan HeadAt, List<(TimeSpan At, string Data)> Events)> ReadEventsAsync(TestGateway gateway, CookieHeader cookie)
    {
        var clock = Stopwatch.StartNew();
        using var response = await gateway.Client.SendAsync(cookie.Attach(new HttpRequestMessage(HttpMethod.Get, "/stream")), HttpCompletionOption.ResponseHeadersRead);
        var headAt = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        cookie.Apply(response);
        var events = new List<(TimeSpan, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((clock.Elapsed, line["data: ".Length..]));
            }
        }

        return (headAt, events);
    }
}
