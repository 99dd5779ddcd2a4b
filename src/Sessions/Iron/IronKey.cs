using System.Text;

namespace SessionsServerless;

/// <summary>An iron password, held as the UTF-8 bytes PBKDF2 derives keys from.</summary>
internal sealed class IronKey
{
    public IronKey(string password)
    {
        IronPasswordRules.ThrowIfInvalid(password, nameof(password));
        Utf8 = Encoding.UTF8.GetBytes(password);
    }

    public byte[] Utf8 { get; }
}
