using System.Security.Cryptography;

namespace SessionsServerless;

/// <summary>
/// Cryptographically secure random bytes, drawn from a per-thread buffer that <see cref="RandomNumberGenerator"/> refills,
/// so a 16-byte IV does not cost a call into the system generator. Bytes handed out are wiped from the buffer.
/// </summary>
internal static class SecureRandom
{
    private const int BufferSize = 4096;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_position;

    [ThreadStatic]
    private static int t_generation;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        byte[]? buffer = t_buffer;
        int generation = CachedRandomness.Generation;
        if (buffer is null || t_position + destination.Length > BufferSize || t_generation != generation)
        {
            // A buffer filled before a snapshot was restored would hand every restored copy the same bytes.
            buffer ??= t_buffer = new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            t_position = 0;
            t_generation = generation;
        }

        var source = buffer.AsSpan(t_position, destination.Length);
        source.CopyTo(destination);
        source.Clear();
        t_position += destination.Length;
    }
}
