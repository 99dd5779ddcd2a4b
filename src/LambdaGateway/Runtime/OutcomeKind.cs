namespace SessionsServerless.LambdaGateway;

/// <summary>How an invocation ended.</summary>
internal enum OutcomeKind
{
    /// <summary>The app posted a response.</summary>
    Response,

    /// <summary>The app started streaming a response; its body is still arriving.</summary>
    StreamedResponse,

    /// <summary>The app streamed a prelude API Gateway would refuse.</summary>
    InvalidStreamedResponse,

    /// <summary>The app posted an error for the invocation.</summary>
    FunctionError,

    /// <summary>The app reported that it failed to start (<c>/runtime/init/error</c>).</summary>
    InitError,

    /// <summary>The app's process exited before it answered.</summary>
    AppExited,

    /// <summary>The app's command could not be started.</summary>
    StartFailed,

    /// <summary>The app took the invocation but did not answer within the timeout.</summary>
    TimedOut,

    /// <summary>No app asked for the invocation within the init timeout.</summary>
    NotPickedUp,
}
