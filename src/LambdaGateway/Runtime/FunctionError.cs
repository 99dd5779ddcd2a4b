using System.Text;
using System.Text.Json;

namespace SessionsServerless.LambdaGateway;

/// <summary>An error a runtime reported (to <c>/invocation/{id}/error</c> or <c>/init/error</c>), in Lambda's error format.</summary>
/// <param name="ErrorType">The error type: the document's <c>errorType</c>, else the <c>Lambda-Runtime-Function-Error-Type</c> header.</param>
/// <param name="ErrorMessage">The document's <c>errorMessage</c>, or the body as text when it is not an error document.</param>
/// <param name="StackTrace">The document's <c>stackTrace</c> lines.</param>
internal sealed record FunctionError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    private const int MaxMessageLength = 4096;

    /// <summary>Reads an error post; anything that is not an error document becomes its message, as Lambda does.</summary>
    public static FunctionError Read(byte[] body, string? errorTypeHeader)
    {
        string fallbackType = string.IsNullOrWhiteSpace(errorTypeHeader) ? "Unknown" : errorTypeHeader;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                string type = Text(root, "errorType") ?? fallbackType;
                string message = Text(root, "errorMessage") ?? string.Empty;
                var stackTrace = root.TryGetProperty("stackTrace", out var lines) && lines.ValueKind == JsonValueKind.Array
                    ? lines.EnumerateArray().Select(line => line.ValueKind == JsonValueKind.String ? line.GetString()! : line.GetRawText()).ToList()
                    : [];
                return new FunctionError(type, Shorten(message), stackTrace);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body is the message.
        }

        return new FunctionError(fallbackType, Shorten(Encoding.UTF8.GetString(body)), []);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string message) => message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "...";
}
