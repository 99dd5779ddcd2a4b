namespace SessionsServerless;

/// <summary>iron's password rules: not empty, and at least 32 UTF-16 code units (a JavaScript string's length).</summary>
internal static class IronPasswordRules
{
    public const int MinimumLength = 32;

    /// <summary>Returns why <paramref name="password"/> is refused, or <see langword="null"/> when it is accepted.</summary>
    public static string? Check(string? password) => password switch
    {
        null or "" => "is empty",
        { Length: < MinimumLength } => $"is {password.Length} characters long; at least {MinimumLength} are required",
        _ => null,
    };

    public static void ThrowIfInvalid(string? password, string parameterName)
    {
        if (Check(password) is { } problem)
        {
            throw new ArgumentException($"The iron password {problem}.", parameterName);
        }
    }
}
