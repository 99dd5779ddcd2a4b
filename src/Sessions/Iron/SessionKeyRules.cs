namespace SessionsServerless;

/// <summary>
/// The checks a session key (<c>Sessions:EncryptionKey</c> and every previous key) passes at startup on top of iron's
/// length rule: not obviously weak, and outside Development not a development key. A problem is described without the
/// key's value.
/// </summary>
internal static class SessionKeyRules
{
    /// <summary>Marks a key as a development key (the demo's and the templates' appsettings.Development.json keys carry it).</summary>
    public const string DevelopmentKeyMarker = "DEVELOPMENT-ONLY";

    // No key of 32 or more random characters trips these, whether base64 (`openssl rand -base64 32`: 44 characters
    // from 64) or hex (`openssl rand -hex 16`: 32 characters from 16). For hex, the likeliest trip, fewer than 8 distinct
    // characters, has a probability below 1e-7; the others are far rarer. Keys people type trip them.
    internal const int MinimumDistinctCharacters = 8;
    internal const int LongestRun = 7;

    /// <summary>Why <paramref name="key"/> is obviously weak, or <see langword="null"/> when it is not.</summary>
    public static string? CheckStrength(string key)
    {
        int distinct = CountDistinct(key);
        if (distinct < MinimumDistinctCharacters)
        {
            return $"uses only {distinct} distinct characters; a random key uses many more";
        }

        if (LongestRunOfOneCharacter(key) > LongestRun)
        {
            return $"repeats one character more than {LongestRun} times in a row";
        }

        if (ShortestPeriod(key) is int period and > 0)
        {
            return $"is a block of {period} characters repeated";
        }

        return null;
    }

    /// <summary>Whether <paramref name="key"/> carries <see cref="DevelopmentKeyMarker"/>.</summary>
    public static bool IsDevelopmentKey(string key) => key.Contains(DevelopmentKeyMarker, StringComparison.Ordinal);

    private static int CountDistinct(string key)
    {
        var seen = new HashSet<char>();
        foreach (char c in key)
        {
            seen.Add(c);
        }

        return seen.Count;
    }

    private static int LongestRunOfOneCharacter(string key)
    {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < key.Length; i++)
        {
            run = i > 0 && key[i] == key[i - 1] ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>The shortest block that, repeated at least twice (the last time possibly cut short), makes the key; 0 when none.</summary>
    private static int ShortestPeriod(string key)
    {
        for (int period = 1; period <= key.Length / 2; period++)
        {
            if (key.AsSpan(period).SequenceEqual(key.AsSpan(0, key.Length - period)))
            {
                return period;
            }
        }

        return 0;
    }
}
