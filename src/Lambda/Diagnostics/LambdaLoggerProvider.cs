using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>
/// Writes the app's log records as Lambda expects them: in the format <c>AWS_LAMBDA_LOG_FORMAT</c> asks for, each record
/// carrying the request and trace ids of the invocation it was written in, one CloudWatch record per log record.
/// Registered by <c>AddLambdaHosting</c> only when the app runs on Lambda, in place of the console logger.
/// </summary>
[ProviderAlias("Lambda")]
internal sealed class LambdaLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, LambdaLogger> _loggers = new(StringComparer.Ordinal);
    private readonly LambdaLogWriter _writer;
    private readonly LambdaLogSettings _settings;

    public LambdaLoggerProvider(LambdaLogSettings settings)
    {
        _settings = settings;
        _writer = new LambdaLogWriter(settings);
    }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, provider) => new LambdaLogger(name, provider._writer, provider._settings.MinimumLevel ?? LogLevel.Trace), this);

    public void Dispose() => _writer.Dispose();
}
