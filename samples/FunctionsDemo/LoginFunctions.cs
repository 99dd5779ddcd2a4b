using LoginDemo;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SessionsServerless;

namespace FunctionsDemo;

/// <summary>The login page, login and logout, as isolated-worker functions.</summary>
public static class LoginFunctions
{
    /// <summary>The password that logs in (this is a demo).</summary>
    public const string CorrectPassword = "correct";

    /// <summary><c>GET /</c>: the page, with the flash messages of the previous request shown once.</summary>
    /// <param name="request">The request.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>The page.</returns>
    [Function("Home")]
    public static IActionResult Home(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{root:maxlength(0)?}")] HttpRequest request,
        Session session)
    {
        var page = new LoginPage(
            Message: session.Get(DemoKeys.Message),
            Error: session.Get(DemoKeys.Error),
            FailedLoginAttempts: session.Get(DemoKeys.FailedLoginAttempts),
            Email: session.Get(DemoKeys.Email));
        return new ContentResult { Content = page.Render(), ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    /// <summary><c>POST /login</c>: password <c>correct</c> logs in and rotates the session id; anything else counts a failure.</summary>
    /// <param name="request">The login form.</param>
    /// <param name="session">The visitor's session.</param>
    /// <returns>A redirect to the page.</returns>
    [Function("Login")]
    public static async Task<IActionResult> LoginAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "login")] HttpRequest request,
        Session session)
    {
        if (!request.HasFormContentType)
        {
            return new BadRequestObjectResult("Post the login form.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (form["password"] == CorrectPassword)
        {
            session.RegenerateId();
            session.Set(DemoKeys.Email, form["email"].ToString());
            session.Forget(DemoKeys.FailedLoginAttempts);
            session.Flash(DemoKeys.Message, "Login Successful");
        }
        else
        {
            session.Set(DemoKeys.FailedLoginAttempts, session.Get(DemoKeys.FailedLoginAttempts) + 1);
            session.Flash(DemoKeys.Error, "Incorrect username or password");
        }

        return new RedirectResult("/");
    }

    /// <summary><c>POST /logout</c>: ends the session.</summary>
    /// <param name="request">The request.</param>
    /// <returns>A redirect to the page.</returns>
    [Function("Logout")]
    public static IActionResult Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequest request)
    {
        request.HttpContext.GetSession().Delete();
        return new RedirectResult("/");
    }
}
