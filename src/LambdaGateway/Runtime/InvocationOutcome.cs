namespace SessionsServerless.LambdaGateway;

/// <summary>How an invocation ended, with what the gateway needs to answer the HTTP request.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Response">The posted response document (<see cref="OutcomeKind.Response"/>).</param>
/// <param name="Error">The reported error (<see cref="OutcomeKind.FunctionError"/>, <see cref="OutcomeKind.InitError"/>).</param>
/// <param name="ExitCode">The process's exit code (<see cref="OutcomeKind.AppExited"/>).</param>
/// <param name="Detail">Why the app could not be started (<see cref="OutcomeKind.StartFailed"/>), or why its streamed prelude was refused.</param>
/// <param name="Stream">The streamed response (<see cref="OutcomeKind.StreamedResponse"/>).</param>
internal sealed record InvocationOutcome(OutcomeKind Kind, byte[]? Response = null, FunctionError? Error = null, int? ExitCode = null, string? Detail = null, StreamedResponse? Stream = null)
{
    public static InvocationOutcome TimedOut { get; } = new(OutcomeKind.TimedOut);

    public static InvocationOutcome NotPickedUp { get; } = new(OutcomeKind.NotPickedUp);
}
