namespace SessionsServerless;

/// <summary>Rewrites a Cache-Control value so that no shared cache may store the response.</summary>
internal static class CacheControlHeader
{
    /// <summary>
    /// The value with its <c>public</c> and <c>s-maxage</c> directives replaced by one <c>private</c>, or
    /// <see langword="null"/> when it already keeps shared caches out (no <c>public</c>, <c>s-maxage</c>).
    /// </summary>
    public static string? MakePrivate(string cacheControl)
    {
        if (cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase)
            || (!cacheControl.Contains("public", StringComparison.OrdinalIgnoreCase) && !cacheControl.Contains("s-maxage", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var kept = new List<string>();
        bool hasPrivate = false;
        foreach (var part in cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("public", StringComparison.OrdinalIgnoreCase) || part.StartsWith("s-maxage", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            hasPrivate |= part.StartsWith("private", StringComparison.OrdinalIgnoreCase);
            kept.Add(part);
        }

        if (!hasPrivate)
        {
            kept.Insert(0, "private");
        }

        return string.Join(", ", kept);
    }
}
