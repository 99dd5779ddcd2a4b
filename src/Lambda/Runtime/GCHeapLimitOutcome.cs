namespace SessionsServerless.Lambda;

/// <summary>What <see cref="GCHeapLimit.Apply"/> did.</summary>
internal enum GCHeapLimitOutcome
{
    /// <summary>The heap hard limit was set to the function's memory size.</summary>
    Set,

    /// <summary><c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> is not set (not on Lambda, or an emulator that leaves it out).</summary>
    NoMemorySize,

    /// <summary>Turned off by <see cref="LambdaHostingOptions.HeapHardLimitFromMemorySize"/> or <c>AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK</c>.</summary>
    TurnedOff,

    /// <summary>The app configured a heap hard limit of its own (environment variable or runtime configuration); it stays.</summary>
    AppSetting,

    /// <summary>The GC already works within less memory than the function has (a container limit, for example).</summary>
    AlreadyLower,
}
