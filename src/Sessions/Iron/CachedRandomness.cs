namespace SessionsServerless;

/// <summary>
/// Lets a host whose memory can be copied (a VM snapshot restored more than once, such as Lambda SnapStart) make the session
/// code forget what it drew from the random generator before the copy: the per-thread random buffers and the sealing salts
/// (with their derived keys). Each copy then draws its own. Knows no cloud; an adapter calls <see cref="Forget"/> after a restore.
/// </summary>
internal static class CachedRandomness
{
    private static int s_generation;

    /// <summary>Changes whenever <see cref="Forget"/> is called; randomness drawn under an older value is not used again.</summary>
    public static int Generation => Volatile.Read(ref s_generation);

    /// <summary>Discards the cached random bytes and sealing salts in every thread and key.</summary>
    public static void Forget() => Interlocked.Increment(ref s_generation);
}
