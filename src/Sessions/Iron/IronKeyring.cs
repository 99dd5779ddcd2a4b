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

    public IronKey Current => Keys[0];
}
