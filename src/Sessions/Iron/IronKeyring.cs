namespace SessionsServerless;

/// <summary>The keys a token may be sealed with: the first seals, all of them unseal (newest first).</summary>
internal sealed class IronKeyring
{
    public IronKeyring(IReadOnlyList<IronKey> keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count, nameof(keys));
        Keys = keys;
    }

    public IronKeyring(string password)
        : this([new IronKey(password)])
    {
    }

    public IReadOnlyList<IronKey> Keys { get; }

    /// <summary>
    /// The keyring of the session middleware: <paramref name="current"/> seals, the previous keys also unseal. Every key is
    /// registered as a session key, so the public <see cref="Iron.Seal"/> refuses it.
    /// </summary>
    public static IronKeyring ForSessions(string current, IEnumerable<string> previous)
    {
        var keys = new List<IronKey> { new(current) };
        keys.AddRange(previous.Where(key => !string.IsNullOrEmpty(key)).Select(key => new IronKey(key)));
        foreach (var key in keys)
        {
            SessionKeyRegistry.Register(key);
        }

        return new IronKeyring(keys);
    }

    public IronKey Current => Keys[0];
}
