using System.IO.Pipelines;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// A response the app streams (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>): its head, read from the HTTP
/// integration prelude, and its body, which arrives through <see cref="Body"/> while the app is still writing it. A body
/// that ended with the error trailers completes the reader with a <see cref="FunctionResponseException"/>.
/// </summary>
/// <param name="Head">The status and headers (the prelude); its body is empty.</param>
/// <param name="Body">The body as it arrives.</param>
internal sealed record StreamedResponse(FunctionResponse Head, PipeReader Body);
