using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>One category's logger; every record goes to the shared <see cref="LambdaLogWriter"/>.</summary>
internal sealed class LambdaLogger(string category, LambdaLogWriter writer, LogLevel minimumLevel) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        string message = formatter(state, exception);
        writer.Write(new LambdaLogRecord(DateTimeOffset.UtcNow, logLevel, category, eventId, message, exception, state as IReadOnlyList<KeyValuePair<string, object?>>, LambdaLogContext.Current));
    }
}
