using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SessionsServerless;

namespace SessionsApp;

/// <summary>The app's functions: replace them with your own. Each takes the request's <see cref="Session"/> as a parameter.</summary>
public static class VisitFunctions
{
    /// <summary>Visits counted in the session.</summary>
    public static readonly SessionKey<int> Visits = new("visits");

    /// <summary>The name given at sign-in.</summary>
    public static readonly SessionKey<string> Name = new("name");

    /// <summary><c>GET /</c>: counts the visit and shows what the session holds.</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>The visits and the name.</returns>
    [Function("Home")]
    public static IActionResult Home(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{root:maxlength(0)?}")] HttpRequest request,
        Session session)
    {
        int visits = session.Get(Visits) + 1;
        session.Set(Visits, visits);
        return Json(new VisitSummary(visits, session.Get(Name)));
    }

    /// <summary>
    /// <c>POST /sign-in</c> with <c>{"name": "..."}</c>: remembers the name under a new session id. Rotate the id like this
    /// whenever a user signs in (check real credentials first; this sample takes any name).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>The visits and the name, or 400.</returns>
    [Function("SignIn")]
    public static async Task<IActionResult> SignInAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sign-in")] HttpRequest request,
        Session session)
    {
        SignInRequest? signIn;
        try
        {
            signIn = await JsonSerializer.DeserializeAsync(request.Body, AppJsonContext.Default.SignInRequest, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return new BadRequestResult();
        }

        if (string.IsNullOrWhiteSpace(signIn?.Name))
        {
            return new BadRequestResult();
        }

        session.RegenerateId();
        session.Set(Name, signIn.Name.Trim());
        return Json(new VisitSummary(session.Get(Visits), session.Get(Name)));
    }

    /// <summary><c>POST /sign-out</c>: ends the session and expires its cookie.</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>204.</returns>
    [Function("SignOut")]
    public static IActionResult SignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sign-out")] HttpRequest request,
        Session session)
    {
        session.Delete();
        return new NoContentResult();
    }

    private static ContentResult Json(VisitSummary summary) => new()
    {
        Content = JsonSerializer.Serialize(summary, AppJsonContext.Default.VisitSummary),
        ContentType = "application/json; charset=utf-8",
        StatusCode = StatusCodes.Status200OK,
    };
}
