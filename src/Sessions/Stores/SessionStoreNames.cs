namespace SessionsServerless;

/// <summary>The names of the stores built into this package, for <see cref="SessionsOptions.Store"/>.</summary>
public static class SessionStoreNames
{
    /// <summary>The cookie store: the whole session sealed in the cookie, no server state (the default).</summary>
    public const string Cookie = "cookie";

    /// <summary>The in-process <see cref="MemoryStore"/>: for one server and for tests; sessions end when the process does.</summary>
    public const string Memory = "memory";

    /// <summary>Store names are case-insensitive; this is the form they are registered under.</summary>
    internal static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
