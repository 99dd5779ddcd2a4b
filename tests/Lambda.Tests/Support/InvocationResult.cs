using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>What a runtime posted for one invocation: a response document, or an error in Lambda's error format.</summary>
/// <param name="IsError">Posted to <c>/error</c> (or <c>/init/error</c>) rather than <c>/response</c>.</param>
/// <param name="ErrorType">The <c>Lambda-Runtime-Function-Error-Type</c> header of an error.</param>
/// <param name="ContentType">The content type of the post.</param>
/// <param name="Document">The posted JSON document.</param>
internal sealed record InvocationResult(bool IsError, string? ErrorType, string? ContentType, JsonObject Document)
{
    /// <summary>A streamed response (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>); <see cref="Document"/> is then its prelude.</summary>
    public StreamedResponse? Stream { get; init; }

    public int StatusCode => IsError ? throw new InvalidOperationException("The runtime reported an error: " + Document.ToJsonString()) : Document["statusCode"]!.GetValue<int>();

    /// <summary>The response body, decoded from base64 when the runtime encoded it.</summary>
    public byte[] BodyBytes
    {
        get
        {
            if (Stream is { } stream)
            {
                return stream.Body;
            }

            string body = Document["body"]?.GetValue<string>() ?? string.Empty;
            return Document["isBase64Encoded"]?.GetValue<bool>() == true ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
        }
    }

    public string Body => Encoding.UTF8.GetString(BodyBytes);

    /// <summary>The v2 <c>cookies</c> list.</summary>
    public IReadOnlyList<string> Cookies => Document["cookies"]?.AsArray().Select(c => c!.GetValue<string>()).ToList() ?? [];

    /// <summary>A header of a <c>headers</c> map (case-insensitive name).</summary>
    public string? Header(string name) =>
        Document["headers"]?.AsObject().FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    /// <summary>The values of a header of a <c>multiValueHeaders</c> map (case-insensitive name).</summary>
    public IReadOnlyList<string> MultiValueHeader(string name) =>
        Document["multiValueHeaders"]?.AsObject().FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.AsArray().Select(v => v!.GetValue<string>()).ToList() ?? [];
}
