using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace SessionsServerless.Lambda;

/// <summary>
/// How the Lambda logger writes: the format (<c>AWS_LAMBDA_LOG_FORMAT</c>), the level below which records are dropped
/// (<c>AWS_LAMBDA_LOG_LEVEL</c>, only when set), and where to: the telemetry log descriptor Lambda's runtimes are given
/// (<c>_LAMBDA_TELEMETRY_LOG_FD</c>, framed, so a multi-line record stays one CloudWatch record) or standard output.
/// </summary>
internal sealed class LambdaLogSettings
{
    public LambdaLogFormat Format { get; init; }

    /// <summary>The lowest level written, or <see langword="null"/> to leave it to the app's logging configuration.</summary>
    public LogLevel? MinimumLevel { get; init; }

    /// <summary>Where records go.</summary>
    public required Stream Output { get; init; }

    /// <summary>Whether <see cref="Output"/> is the telemetry log descriptor, which takes framed records.</summary>
    public bool Framed { get; init; }

    /// <summary>The settings Lambda's environment asks for.</summary>
    public static LambdaLogSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var format = string.Equals(environment("AWS_LAMBDA_LOG_FORMAT"), "JSON", StringComparison.OrdinalIgnoreCase) ? LambdaLogFormat.Json : LambdaLogFormat.Text;
        var level = ParseLevel(environment("AWS_LAMBDA_LOG_LEVEL"));
        if (int.TryParse(environment("_LAMBDA_TELEMETRY_LOG_FD"), NumberStyles.None, CultureInfo.InvariantCulture, out int descriptor) && descriptor > 2)
        {
            var handle = new SafeFileHandle(descriptor, ownsHandle: false);
            if (!handle.IsInvalid)
            {
                return new LambdaLogSettings { Format = format, MinimumLevel = level, Output = new FileStream(handle, FileAccess.Write, bufferSize: 0), Framed = true };
            }
        }

        return new LambdaLogSettings { Format = format, MinimumLevel = level, Output = Console.OpenStandardOutput() };
    }

    /// <summary>Lambda's level names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); anything else leaves the level alone.</summary>
    internal static LogLevel? ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Critical,
        _ => null,
    };
}
