using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SessionsServerless;

/// <summary>
/// The session keys this process has configured (as SHA-256 digests, not the keys), so the public <see cref="Iron.Seal"/>
/// can refuse them: a session cookie is a plain iron token (hono-sessions reads it), so any string sealed with a session
/// key would be accepted as a session cookie. Keys stay registered for the life of the process; a process holds few.
/// </summary>
internal static class SessionKeyRegistry
{
    private static readonly ConcurrentDictionary<string, byte> s_digests = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="key"/> as a session key.</summary>
    public static void Register(IronKey key) => s_digests.TryAdd(Digest(key.Utf8), 0);

    /// <summary>Whether <paramref name="password"/> is a session key this process configured.</summary>
    public static bool IsSessionKey(string password) =>
        !s_digests.IsEmpty && s_digests.ContainsKey(Digest(Encoding.UTF8.GetBytes(password)));

    private static string Digest(byte[] utf8) => Convert.ToHexString(SHA256.HashData(utf8));
}
