using SessionsServerless;

namespace LoginDemo;

/// <summary>The session values the demo keeps, with their types.</summary>
public static class DemoKeys
{
    /// <summary>The logged-in user's email.</summary>
    public static readonly SessionKey<string> Email = new("email");

    /// <summary>Failed login attempts since the last successful one.</summary>
    public static readonly SessionKey<int> FailedLoginAttempts = new("failed-login-attempts");

    /// <summary>A flash message for the next page.</summary>
    public static readonly SessionKey<string> Message = new("message");

    /// <summary>A flash error for the next page.</summary>
    public static readonly SessionKey<string> Error = new("error");

    /// <summary>How many times <c>/counter</c> was visited.</summary>
    public static readonly SessionKey<int> Counter = new("counter");
}
