using System.Globalization;
using SessionsServerless;

namespace LoginDemo;

/// <summary><c>GET /stream</c>: Server-Sent Events, streamed on Lambda (<c>WithLambdaResponseStreaming</c>).</summary>
public static class StreamEndpoints
{
    /// <summary>The number of events one request sends.</summary>
    public const int EventCount = 3;

    /// <summary>The pause between two events.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Counts the visit in the session (so the response sets the cookie, which travels before the first event), then sends
    /// three <c>data:</c> events, each carrying the visit counter, a pause apart.
    /// </summary>
    public static async Task StreamAsync(HttpContext context, Session session)
    {
        int visits = session.Get(DemoKeys.Counter) + 1;
        session.Set(DemoKeys.Counter, visits);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        for (int i = 1; i <= EventCount; i++)
        {
            if (i > 1)
            {
                await Task.Delay(Interval, context.RequestAborted);
            }

            await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {i}\ndata: {{\"event\":{i},\"visits\":{visits}}}\n\n"), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
