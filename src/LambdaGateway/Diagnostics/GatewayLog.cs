using Microsoft.Extensions.Logging;

namespace SessionsServerless.LambdaGateway;

/// <summary>The gateway's log messages. None carries a header, a cookie, a query string or a body.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Started the app (process {ProcessId}): {CommandLine}")]
    public static partial void AppStarted(ILogger logger, int processId, string commandLine);

    [LoggerMessage(2, LogLevel.Warning, "The app (process {ProcessId}) exited with code {ExitCode}. The next request starts it again.")]
    public static partial void AppExited(ILogger logger, int processId, int exitCode);

    [LoggerMessage(3, LogLevel.Error, "The app could not be started: {Reason}")]
    public static partial void AppStartFailed(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Error, "The app reported that it failed to start ({ErrorType}): {ErrorMessage}")]
    public static partial void AppInitFailed(ILogger logger, string errorType, string errorMessage);

    [LoggerMessage(5, LogLevel.Warning, "The app (process {ProcessId}) did not ask for an invocation within {Seconds} s of starting (--init-timeout), so it was stopped. Does it call builder.Services.AddLambdaHosting()?")]
    public static partial void AppDidNotAsk(ILogger logger, int processId, double seconds);

    [LoggerMessage(6, LogLevel.Warning, "Invocation {RequestId} did not end within {Seconds} s (--timeout).")]
    public static partial void InvocationTimedOut(ILogger logger, string requestId, double seconds);

    [LoggerMessage(7, LogLevel.Information, "{Method} {Path} -> {StatusCode} in {Milliseconds} ms")]
    public static partial void Answered(ILogger logger, string method, string path, int statusCode, long milliseconds);

    [LoggerMessage(8, LogLevel.Warning, "{Method} {Path} -> {StatusCode}: {Reason}")]
    public static partial void Failed(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(10, LogLevel.Information, "Listening on {Address} ({Format} events); Runtime API at AWS_LAMBDA_RUNTIME_API={RuntimeApi}")]
    public static partial void Listening(ILogger logger, Uri address, string format, string runtimeApi);

    [LoggerMessage(11, LogLevel.Information, "No command given: start your app with AWS_LAMBDA_RUNTIME_API={RuntimeApi} (for example under a debugger).")]
    public static partial void WaitingForApp(ILogger logger, string runtimeApi);

    [LoggerMessage(9, LogLevel.Warning, "The function's response has {Fields}, which {Format} ignores.")]
    public static partial void FieldsIgnored(ILogger logger, string fields, string format);
}
