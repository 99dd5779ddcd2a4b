namespace SessionsServerless;

/// <summary>
/// Stamps a session's expiry and access times just before it is persisted (a value, so a save allocates no closure).
/// </summary>
/// <param name="expiry">The expiry rules.</param>
/// <param name="now">The time of the save.</param>
internal readonly struct SessionStamp(SessionExpiryPolicy expiry, DateTimeOffset now)
{
    /// <summary>Sets <paramref name="data"/>'s expiry and access times for a save now.</summary>
    public void Apply(SessionData data) => expiry.Stamp(data, now);
}
