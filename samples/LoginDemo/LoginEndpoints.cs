using SessionsServerless;

namespace LoginDemo;

/// <summary>The login page, login and logout.</summary>
public static class LoginEndpoints
{
    /// <summary>The password that logs in (this is a demo).</summary>
    public const string CorrectPassword = "correct";

    /// <summary><c>GET /</c>: the page, with the flash messages of the previous request shown once.</summary>
    public static IResult Home(Session session)
    {
        var page = new LoginPage(
            Message: session.Get(DemoKeys.Message),
            Error: session.Get(DemoKeys.Error),
            FailedLoginAttempts: session.Get(DemoKeys.FailedLoginAttempts),
            Email: session.Get(DemoKeys.Email));
        return Results.Content(page.Render(), "text/html; charset=utf-8");
    }

    /// <summary><c>POST /login</c>: password <c>correct</c> logs in and rotates the session id; anything else counts a failure.</summary>
    public static async Task<IResult> LoginAsync(HttpRequest request, Session session)
    {
        if (!request.HasFormContentType)
        {
            return Results.BadRequest("Post the login form.");
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

        return Results.Redirect("/");
    }

    /// <summary><c>POST /logout</c>: ends the session.</summary>
    public static IResult Logout(Session session)
    {
        session.Delete();
        return Results.Redirect("/");
    }
}
