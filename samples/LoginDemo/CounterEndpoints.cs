using System.Text.Json.Serialization;
using SessionsServerless;

namespace LoginDemo;

/// <summary>The counter routes the benchmarks use.</summary>
public static class CounterEndpoints
{
    /// <summary><c>GET /counter</c>: counts the visits (a write on every request).</summary>
    public static string Count(Session session)
    {
        int visits = session.Get(DemoKeys.Counter) + 1;
        session.Set(DemoKeys.Counter, visits);
        return $"You have visited this page {visits} times";
    }

    /// <summary><c>GET /read</c>: reads the counter and touches the session (no write until a renewal is due).</summary>
    public static IResult Read(Session session)
    {
        session.Touch();
        return Results.Json(new CounterView(session.Get(DemoKeys.Counter)), DemoJsonContext.Default.CounterView);
    }

    /// <summary>
    /// <c>GET /bare-cookie</c>: the benchmarks' baseline. Never touches the session; answers a body as long as
    /// <c>/counter</c>'s with a precomputed Set-Cookie header as long as its (see <see cref="BareCookieResponse"/>).
    /// </summary>
    public static string BareCookie(HttpResponse response)
    {
        response.Headers.SetCookie = BareCookieResponse.SetCookie;
        return BareCookieResponse.Body;
    }
}

/// <summary>The body of <c>GET /read</c>.</summary>
/// <param name="Counter">The counter's value.</param>
public sealed record CounterView([property: JsonPropertyName("counter")] int Counter);

/// <summary>JSON metadata for the demo's responses.</summary>
[JsonSerializable(typeof(CounterView))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
