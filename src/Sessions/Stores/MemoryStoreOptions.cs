namespace SessionsServerless;

/// <summary>Options for <see cref="MemoryStore"/> (configuration section <c>Sessions:Memory</c>).</summary>
public sealed class MemoryStoreOptions
{
    /// <summary>
    /// The most sessions kept, or <see langword="null"/> (the default) for no bound. When full, expired sessions go first,
    /// then the least recently written tenth.
    /// </summary>
    public int? Capacity { get; set; }

    /// <summary>The size used when <see cref="MaxSessionSize"/> is not set: 1 MiB.</summary>
    public const int DefaultMaxSessionSize = 1024 * 1024;

    /// <summary>
    /// The largest session kept, in bytes of UTF-8 session JSON (default 1 MiB, as a guard against a session that grows
    /// without bound), or <see langword="null"/> for no limit. A larger one is refused with
    /// <see cref="SessionTooLargeException"/> and the stored session stays as it was.
    /// </summary>
    public int? MaxSessionSize { get; set; } = DefaultMaxSessionSize;

    /// <summary>How often, at most, a write also sweeps out expired sessions (default one minute).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
