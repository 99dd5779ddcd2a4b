namespace SessionsServerless;

/// <summary>Options for <see cref="MemoryStore"/> (configuration section <c>Sessions:Memory</c>).</summary>
public sealed class MemoryStoreOptions
{
    /// <summary>
    /// The most sessions kept, or <see langword="null"/> (the default) for no bound. When full, expired sessions go first,
    /// then the least recently written tenth.
    /// </summary>
    public int? Capacity { get; set; }

    /// <summary>How often, at most, a write also sweeps out expired sessions (default one minute).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
