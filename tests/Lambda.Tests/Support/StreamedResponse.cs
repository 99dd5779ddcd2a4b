namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>What a runtime streamed to <c>/response</c>.</summary>
/// <param name="Body">The body after the prelude.</param>
/// <param name="Chunks">Every piece as it arrived (prelude included), with its arrival time.</param>
/// <param name="ErrorType">The <c>Lambda-Runtime-Function-Error-Type</c> trailer.</param>
/// <param name="ErrorBody">The <c>Lambda-Runtime-Function-Error-Body</c> trailer, base64-decoded.</param>
internal sealed record StreamedResponse(byte[] Body, IReadOnlyList<StreamedChunk> Chunks, string? ErrorType, string? ErrorBody);

/// <summary>One piece of a streamed body.</summary>
/// <param name="ArrivedAt">When the Runtime API read it.</param>
/// <param name="Data">The bytes.</param>
internal sealed record StreamedChunk(DateTimeOffset ArrivedAt, byte[] Data);
