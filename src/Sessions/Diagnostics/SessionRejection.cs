namespace SessionsServerless;

/// <summary>Why a session cookie was refused.</summary>
internal enum SessionRejection
{
    /// <summary>The seal failed its integrity check or did not decrypt: altered, or sealed with a key not configured.</summary>
    Tampered,

    /// <summary>The seal names a password id that is not configured.</summary>
    UnknownKey,

    /// <summary>The cookie is longer than any cookie this library writes.</summary>
    Oversize,

    /// <summary>The cookie is not an iron seal, or holds something other than a session.</summary>
    Malformed,

    /// <summary>A server store has no session for the id in the cookie (expired, deleted, or never issued).</summary>
    UnknownSession,

    /// <summary>An <see cref="ISessionValidator"/> the app registered rejected the session.</summary>
    Revoked,
}

/// <summary>Tag values for <see cref="SessionRejection"/>.</summary>
internal static class SessionRejectionExtensions
{
    public static string ToTagValue(this SessionRejection reason) => reason switch
    {
        SessionRejection.Tampered => "tampered",
        SessionRejection.UnknownKey => "unknown_key",
        SessionRejection.Oversize => "oversize",
        SessionRejection.Malformed => "malformed",
        SessionRejection.UnknownSession => "unknown_session",
        SessionRejection.Revoked => "revoked",
        _ => "other",
    };

    public static SessionRejection FromIron(IronUnsealError error) => error switch
    {
        IronUnsealError.BadMac or IronUnsealError.BadPayload => SessionRejection.Tampered,
        IronUnsealError.UnknownPasswordId => SessionRejection.UnknownKey,
        _ => SessionRejection.Malformed,
    };
}
