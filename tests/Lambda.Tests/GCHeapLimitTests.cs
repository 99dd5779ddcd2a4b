namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// When the host sets the GC heap hard limit from AWS_LAMBDA_FUNCTION_MEMORY_SIZE and when it leaves the GC alone (the
/// process tests show the limit taking effect in a real process, JIT and Native AOT).
/// </summary>
public sealed class GCHeapLimitTests
{
    private const long EightGigabytes = 8L * 1024 * 1024 * 1024;

    [Fact]
    public void The_limit_is_the_whole_function_memory_in_bytes()
    {
        var (outcome, limit, _) = Apply(256);
        Assert.Equal(GCHeapLimitOutcome.Set, outcome);
        Assert.Equal(256UL * 1024 * 1024, limit);
    }

    [Theory]
    [InlineData("System.GC.HeapHardLimit", 300_000_000UL)]
    [InlineData("System.GC.HeapHardLimitPercent", 50UL)]
    [InlineData("System.GC.HeapHardLimitSOH", 100_000_000UL)]
    [InlineData("GCHeapHardLimit", 300_000_000UL)]
    public void A_limit_in_the_runtime_configuration_is_the_apps_and_stays(string name, ulong value)
    {
        var (outcome, limit, setting) = Apply(256, appContext: n => n == name ? value : null);
        Assert.Equal(GCHeapLimitOutcome.AppSetting, outcome);
        Assert.Equal(name, setting);
        Assert.Null(limit);
    }

    [Theory]
    [InlineData("DOTNET_GCHeapHardLimitPercent")]
    [InlineData("COMPlus_GCHeapHardLimit")]
    public void A_limit_in_the_environment_is_the_apps_and_stays(string name)
    {
        var (outcome, limit, setting) = Apply(256, environment: n => n == name ? "0x20" : null);
        Assert.Equal(GCHeapLimitOutcome.AppSetting, outcome);
        Assert.Equal(name, setting);
        Assert.Null(limit);
    }

    [Fact]
    public void The_option_turns_it_off()
    {
        var (outcome, limit, _) = Apply(256, enabled: false);
        Assert.Equal(GCHeapLimitOutcome.TurnedOff, outcome);
        Assert.Null(limit);
    }

    [Fact]
    public void A_GC_that_already_has_less_memory_keeps_it()
    {
        var (outcome, limit, _) = Apply(1024, totalAvailable: 512L * 1024 * 1024);
        Assert.Equal(GCHeapLimitOutcome.AlreadyLower, outcome);
        Assert.Null(limit);
    }

    [Fact]
    public void Without_a_memory_size_nothing_changes()
    {
        var (outcome, limit, _) = Apply(null);
        Assert.Equal(GCHeapLimitOutcome.NoMemorySize, outcome);
        Assert.Null(limit);
    }

    private static (GCHeapLimitOutcome Outcome, ulong? Limit, string? Setting) Apply(
        int? memorySizeMb,
        bool enabled = true,
        Func<string, string?>? environment = null,
        Func<string, object?>? appContext = null,
        long totalAvailable = EightGigabytes)
    {
        ulong? limit = null;
        var outcome = GCHeapLimit.Apply(memorySizeMb, enabled, environment ?? (_ => null), appContext ?? (_ => null), () => totalAvailable, value => limit = value, out string? setting);
        return (outcome, limit, setting);
    }
}
