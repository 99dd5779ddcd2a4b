using System.Text.Json;
using LoginDemo;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SessionsServerless;

namespace FunctionsDemo;

/// <summary>The counter routes, as in samples/LoginDemo.</summary>
public static class CounterFunctions
{
    /// <summary><c>GET /counter</c>: counts the visits (a write on every request).</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>The count.</returns>
    [Function("Counter")]
    public static IActionResult Count(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "counter")] HttpRequest request,
        Session session)
    {
        int visits = session.Get(DemoKeys.Counter) + 1;
        session.Set(DemoKeys.Counter, visits);
        return new ContentResult { Content = $"You have visited this page {visits} times", ContentType = "text/plain; charset=utf-8" };
    }

    /// <summary><c>GET /read</c>: reads the counter and touches the session (no write until a renewal is due).</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns><c>{"counter": N}</c>.</returns>
    [Function("Read")]
    public static IActionResult Read(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "read")] HttpRequest request,
        Session session)
    {
        session.Touch();
        string json = JsonSerializer.Serialize(new CounterView(session.Get(DemoKeys.Counter)), FunctionsDemoJsonContext.Default.CounterView);
        return new ContentResult { Content = json, ContentType = "application/json; charset=utf-8" };
    }

    /// <summary>
    /// <c>GET /bare-cookie</c>: the benchmarks' baseline, as in samples/LoginDemo. Never touches the session; answers a
    /// body as long as <c>/counter</c>'s with a precomputed Set-Cookie header as long as its.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The body.</returns>
    [Function("BareCookie")]
    public static IActionResult BareCookie(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bare-cookie")] HttpRequest request)
    {
        request.HttpContext.Response.Headers.SetCookie = BareCookieResponse.SetCookie;
        return new ContentResult { Content = BareCookieResponse.Body, ContentType = "text/plain; charset=utf-8" };
    }
}
