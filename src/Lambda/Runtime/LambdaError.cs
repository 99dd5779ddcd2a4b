using System.Text.Json;

namespace SessionsServerless.Lambda;

/// <summary>An error in Lambda's error format (<c>errorMessage</c>, <c>errorType</c>, <c>stackTrace</c>).</summary>
/// <param name="ErrorType">The error type, also sent as <c>Lambda-Runtime-Function-Error-Type</c>.</param>
/// <param name="ErrorMessage">What went wrong. Never carries a secret.</param>
/// <param name="StackTrace">The stack trace lines, if any.</param>
internal sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>The media type of Lambda's error documents.</summary>
    public const string MediaType = "application/vnd.aws.lambda.error+json";

    /// <summary>An error for an invocation whose event could not be turned into a request.</summary>
    public static LambdaError InvalidEvent(string reason) => new("Runtime.InvalidEvent", reason, []);

    /// <summary>An error for a single-value load balancer response that sets several cookies, which it cannot carry.</summary>
    public static LambdaError MultiValueHeadersRequired(int cookies) => new(
        "Runtime.MultiValueHeadersRequired",
        $"The response sets {cookies} cookies, but the load balancer target group does not use multi-value headers, so only one could be sent. "
        + "Turn them on for the target group (attribute lambda.multi_value_headers.enabled = true); nothing was sent.",
        []);

    /// <summary>An error describing an exception: its type, message and stack trace.</summary>
    public static LambdaError FromException(Exception exception) => new(
        exception.GetType().FullName ?? exception.GetType().Name,
        exception.Message,
        (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The JSON document.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", ErrorMessage);
            json.WriteString("errorType", ErrorType);
            json.WriteStartArray("stackTrace");
            foreach (string line in StackTrace)
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
