using System.Buffers;

namespace SessionsServerless;

/// <summary>What the browser's cookie must become after a save.</summary>
internal readonly struct SessionSaveResult
{
    private SessionSaveResult(string? cookieValue, byte[]? sealedCookie, int sealedCookieLength, bool dropped)
    {
        CookieValue = cookieValue;
        SealedCookie = sealedCookie;
        SealedCookieLength = sealedCookieLength;
        Dropped = dropped;
    }

    /// <summary>The new cookie value as a string, or <see langword="null"/>.</summary>
    public string? CookieValue { get; }

    /// <summary>
    /// The new cookie value as ASCII bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the committer returns
    /// it), or <see langword="null"/>. The cookie store seals straight into it, so the Set-Cookie header is the only string.
    /// </summary>
    public byte[]? SealedCookie { get; }

    /// <summary>The length of the value in <see cref="SealedCookie"/>.</summary>
    public int SealedCookieLength { get; }

    /// <summary>
    /// Whether nothing was saved because another request deleted the session meanwhile (a logout, or a rotation whose
    /// new cookie the browser may already hold, so the cookie is left alone).
    /// </summary>
    public bool Dropped { get; }

    public static SessionSaveResult KeepCookie => default;

    public static SessionSaveResult Drop => new(null, null, 0, dropped: true);

    public static SessionSaveResult SetCookie(string value) => new(value, null, 0, dropped: false);

    public static SessionSaveResult SetCookie(byte[] rentedAscii, int length) => new(null, rentedAscii, length, dropped: false);
}
