using SessionsServerless;

namespace SessionsApp;

/// <summary>The app's endpoints: replace them with your own. Each takes the request's <see cref="Session"/> as a parameter.</summary>
public static class VisitEndpoints
{
    /// <summary>Visits counted in the session.</summary>
    public static readonly SessionKey<int> Visits = new("visits");

    /// <summary>The name given at sign-in.</summary>
    public static readonly SessionKey<string> Name = new("name");

    /// <summary><c>GET /</c>: counts the visit and shows what the session holds.</summary>
    public static VisitSummary Home(Session session)
    {
        int visits = session.Get(Visits) + 1;
        session.Set(Visits, visits);
        return new VisitSummary(visits, session.Get(Name));
    }

    /// <summary>
    /// <c>POST /sign-in</c> with <c>{"name": "..."}</c>: remembers the name under a new session id. Rotate the id like this
    /// whenever a user signs in (check real credentials first; this sample takes any name).
    /// </summary>
    public static IResult SignIn(SignInRequest request, Session session)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return TypedResults.BadRequest();
        }

        session.RegenerateId();
        session.Set(Name, request.Name.Trim());
        return TypedResults.Ok(new VisitSummary(session.Get(Visits), session.Get(Name)));
    }

    /// <summary><c>POST /sign-out</c>: ends the session and expires its cookie.</summary>
    public static IResult SignOut(Session session)
    {
        session.Delete();
        return TypedResults.NoContent();
    }
}
