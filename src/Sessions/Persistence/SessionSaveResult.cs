namespace SessionsServerless;

/// <summary>What the browser's cookie must become after a save.</summary>
internal readonly struct SessionSaveResult
{
    private SessionSaveResult(string? cookieValue, bool clearCookie)
    {
        CookieValue = cookieValue;
        ClearCookie = clearCookie;
    }

    /// <summary>The new cookie value, or <see langword="null"/> when the cookie stays as it is.</summary>
    public string? CookieValue { get; }

    /// <summary>Whether the cookie must be cleared because the session no longer exists.</summary>
    public bool ClearCookie { get; }

    public static SessionSaveResult KeepCookie => default;

    public static SessionSaveResult Clear => new(null, clearCookie: true);

    public static SessionSaveResult SetCookie(string value) => new(value, clearCookie: false);
}
