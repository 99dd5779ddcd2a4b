using System.Text.Json.Serialization;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// The response payload of a custom-handler invocation: <c>Outputs</c> (values by output binding name), <c>Logs</c>
/// (lines for the invocation log and Application Insights) and <c>ReturnValue</c> (for a <c>$return</c> binding).
/// </summary>
/// <param name="Outputs">Output values. The purge function has no output bindings, so the host ignores the count it
/// carries; it is there so the host logs no "Outputs not set" warning and a direct caller can read the result.</param>
/// <param name="Logs">Lines for the invocation log.</param>
/// <param name="ReturnValue">A one-line summary (ignored by the host without a <c>$return</c> binding).</param>
internal sealed record CustomHandlerInvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, int> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] string? ReturnValue);

/// <summary>JSON metadata for the invocation responses.</summary>
[JsonSerializable(typeof(CustomHandlerInvocationResult))]
internal sealed partial class CustomHandlerJsonContext : JsonSerializerContext;
