using System.Globalization;

namespace SessionsServerless.Lambda;

/// <summary>What the execution environment's variables say about how to run.</summary>
/// <param name="MaxConcurrency">How many invocations run at once (<c>AWS_LAMBDA_MAX_CONCURRENCY</c> on Lambda Managed Instances; otherwise 1).</param>
/// <param name="SnapStart">Whether the environment is initialized for a SnapStart snapshot (<c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>).</param>
/// <param name="SetsExitCode">Whether a failure that ends the process sets a non-zero exit code (tests that run the loop in
/// their own process turn it off).</param>
/// <param name="MemorySizeMb">The function's configured memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), or
/// <see langword="null"/> when it is not set (tests that run the loop in their own process leave the GC alone this way).</param>
internal sealed record LambdaEnvironment(int MaxConcurrency, bool SnapStart, bool SetsExitCode = true, int? MemorySizeMb = null)
{
    /// <summary>One invocation at a time, no snapshot, no memory size.</summary>
    public static LambdaEnvironment Default { get; } = new(1, false);

    /// <summary>Reads the variables Lambda sets.</summary>
    public static LambdaEnvironment FromVariables() => new(
        int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY"), NumberStyles.None, CultureInfo.InvariantCulture, out int concurrency) && concurrency > 1 ? concurrency : 1,
        string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE"), "snap-start", StringComparison.Ordinal),
        MemorySizeMb: int.TryParse(Environment.GetEnvironmentVariable(GCHeapLimit.MemorySizeVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int memory) && memory > 0 ? memory : null);
}
