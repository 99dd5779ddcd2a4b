using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SessionsServerless;

namespace SessionsWorkerApp;

/// <summary>HTTP functions that use the session in the ways the tests check.</summary>
public static class SessionFunctions
{
    /// <summary><c>GET /count</c>: a Session parameter, an IActionResult executed after the middleware.</summary>
    [Function("Count")]
    public static IActionResult Count([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "count")] HttpRequest request, Session session)
    {
        int count = session.Get(Keys.Counter) + 1;
        session.Set(Keys.Counter, count);
        return new OkObjectResult("count " + count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>GET /count-direct</c>: GetSession() and a response the function writes itself (the commit runs in OnStarting).</summary>
    [Function("CountDirect")]
    public static async Task CountDirectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "count-direct")] HttpRequest request)
    {
        var session = await request.HttpContext.LoadSessionAsync();
        int count = session.Get(Keys.Counter) + 1;
        session.Set(Keys.Counter, count);
        request.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        await request.HttpContext.Response.WriteAsync("count " + count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>GET /plain</c>: never touches the session.</summary>
    [Function("Plain")]
    public static IActionResult Plain([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "plain")] HttpRequest request) =>
        new OkObjectResult("plain");

    /// <summary><c>GET /fail</c>: changes the session, then throws.</summary>
    [Function("Fail")]
    public static IActionResult Fail([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "fail")] HttpRequest request, Session session)
    {
        session.Set(Keys.Counter, 100);
        throw new InvalidOperationException("The fixture function failed after changing the session.");
    }
}
