namespace SessionsServerless;

/// <summary>One value in a session: its JSON and whether it is a flash value (removed once read).</summary>
/// <param name="Json">The value as UTF-8 JSON.</param>
/// <param name="IsFlash">Whether the value is removed when it is read.</param>
internal readonly record struct SessionEntry(ReadOnlyMemory<byte> Json, bool IsFlash)
{
    public bool HasSameContent(SessionEntry other) => IsFlash == other.IsFlash && Json.Span.SequenceEqual(other.Json.Span);
}
