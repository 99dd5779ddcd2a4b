namespace SessionsServerless.Lambda;

/// <summary>
/// Tells the GC how much memory the function has. Lambda's sandbox limits memory in a way the .NET runtime does not
/// detect, so without a limit the GC sizes its heap for the host machine and a function can be killed for running out of
/// memory where a collection would have sufficed. Like AWS's .NET runtime client, the host sets the heap hard limit to
/// the whole of <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> at startup, unless the app configured a limit itself or the GC
/// already works within less.
/// </summary>
internal static class GCHeapLimit
{
    /// <summary>The variable Lambda sets to the function's memory in MB.</summary>
    public const string MemorySizeVariable = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>The variable with which AWS's .NET runtime client turns the adjustment off; honoured here too.</summary>
    public const string TurnOffVariable = "AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK";

    /// <summary>The AppContext name <see cref="GC.RefreshMemoryLimit"/> reads the limit from.</summary>
    private const string HardLimitData = "GCHeapHardLimit";

    private const long OneMegabyte = 1024 * 1024;

    /// <summary>
    /// The GC's heap limit settings, by their configuration names (<c>DOTNET_GCHeapHardLimit</c>, AppContext
    /// <c>GCHeapHardLimit</c>) and their runtimeconfig.json names (<c>System.GC.HeapHardLimit</c>).
    /// </summary>
    private static readonly string[] Settings =
    [
        "HeapHardLimit", "HeapHardLimitPercent",
        "HeapHardLimitSOH", "HeapHardLimitLOH", "HeapHardLimitPOH",
        "HeapHardLimitSOHPercent", "HeapHardLimitLOHPercent", "HeapHardLimitPOHPercent",
    ];

    /// <summary>
    /// Sets the heap hard limit from <paramref name="memorySizeMb"/> unless turned off, the app set one, or the GC already
    /// has less (read through <paramref name="totalAvailable"/>).
    /// </summary>
    /// <param name="memorySizeMb">The function's memory in MB, or <see langword="null"/> when Lambda did not say.</param>
    /// <param name="enabled">Whether <see cref="LambdaHostingOptions.HeapHardLimitFromMemorySize"/> is on.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="appContext">Reads an AppContext value (runtimeconfig.json properties are among them).</param>
    /// <param name="totalAvailable">The memory the GC currently works within, in bytes.</param>
    /// <param name="setLimit">Sets the limit, in bytes, in the running GC.</param>
    /// <param name="appSetting">The name of the setting the app made, when that is why nothing changed.</param>
    /// <returns>What was done.</returns>
    public static GCHeapLimitOutcome Apply(
        int? memorySizeMb,
        bool enabled,
        Func<string, string?> environment,
        Func<string, object?> appContext,
        Func<long> totalAvailable,
        Action<ulong> setLimit,
        out string? appSetting)
    {
        appSetting = null;
        if (memorySizeMb is not > 0)
        {
            return GCHeapLimitOutcome.NoMemorySize;
        }

        if (!enabled || string.Equals(environment(TurnOffVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return GCHeapLimitOutcome.TurnedOff;
        }

        appSetting = FindAppSetting(environment, appContext);
        if (appSetting is not null)
        {
            return GCHeapLimitOutcome.AppSetting;
        }

        long limit = memorySizeMb.Value * OneMegabyte;
        if (totalAvailable() < limit)
        {
            return GCHeapLimitOutcome.AlreadyLower;
        }

        setLimit((ulong)limit);
        return GCHeapLimitOutcome.Set;
    }

    /// <summary>Applies the limit to this process's GC.</summary>
    public static GCHeapLimitOutcome ApplyToProcess(int? memorySizeMb, bool enabled, out string? appSetting) => Apply(
        memorySizeMb,
        enabled,
        Environment.GetEnvironmentVariable,
        AppContext.GetData,
        static () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        static limit =>
        {
            AppContext.SetData(HardLimitData, limit);
            GC.RefreshMemoryLimit();
        },
        out appSetting);

    /// <summary>The first heap limit setting the app made, by the name it used, or <see langword="null"/>.</summary>
    internal static string? FindAppSetting(Func<string, string?> environment, Func<string, object?> appContext)
    {
        foreach (string setting in Settings)
        {
            foreach (string name in (ReadOnlySpan<string>)["DOTNET_GC" + setting, "COMPlus_GC" + setting])
            {
                if (!string.IsNullOrWhiteSpace(environment(name)))
                {
                    return name;
                }
            }

            foreach (string name in (ReadOnlySpan<string>)["System.GC." + setting, "GC" + setting])
            {
                if (appContext(name) is { } value && !string.IsNullOrWhiteSpace(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return name;
                }
            }
        }

        return null;
    }
}
