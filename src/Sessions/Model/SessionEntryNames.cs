using System.Text.Json;

namespace SessionsServerless;

/// <summary>
/// The names of session values as strings, without a new string for every value of every request: an app uses a
/// handful of names, so the last name seen in each of a few slots is kept and handed out again when the same bytes
/// come back. Bounded (64 names of at most 64 bytes), lock-free (a slot is replaced whole), and only ever holds names
/// that came out of a session that opened (the MAC verified, or the store returned it).
/// </summary>
internal static class SessionEntryNames
{
    private const int SlotCount = 64;
    private const int MaxCachedLength = 64;
    private static readonly CachedName?[] Slots = new CachedName?[SlotCount];

    /// <summary>The property name <paramref name="reader"/> is on, as a string.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedLength)
        {
            return reader.GetString()!;
        }

        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        int slot = hash.ToHashCode() & (SlotCount - 1);
        if (Slots[slot] is { } cached && utf8.SequenceEqual(cached.Utf8))
        {
            return cached.Name;
        }

        string name = reader.GetString()!;
        Slots[slot] = new CachedName(utf8.ToArray(), name);
        return name;
    }

    private sealed record CachedName(byte[] Utf8, string Name);
}
