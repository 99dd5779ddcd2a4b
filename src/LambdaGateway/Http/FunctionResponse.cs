using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace SessionsServerless.LambdaGateway;

/// <summary>
/// A function's response read as API Gateway reads it. HTTP API payload 2.0: <c>statusCode</c>, <c>headers</c>, every
/// <c>cookies</c> entry as its own Set-Cookie header, <c>body</c> and <c>isBase64Encoded</c>; a valid JSON answer without
/// <c>statusCode</c> is a 200 <c>application/json</c> response with that JSON as its body. REST API: <c>statusCode</c>
/// (required), <c>headers</c> and <c>multiValueHeaders</c> merged (for a header in both, the multi-value one wins),
/// <c>body</c> and <c>isBase64Encoded</c>. Fields the format does not have are ignored, as API Gateway ignores them.
/// </summary>
internal sealed class FunctionResponse
{
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private FunctionResponse(int statusCode, List<KeyValuePair<string, string>> headers, byte[] body, List<string> ignoredFields)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        IgnoredFields = ignoredFields;
    }

    public int StatusCode { get; }

    /// <summary>The headers in order, a name once per value (Set-Cookie several times).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>Fields the response has that its format ignores (<c>multiValueHeaders</c> in 2.0, <c>cookies</c> in REST).</summary>
    public IReadOnlyList<string> IgnoredFields { get; }

    /// <summary>Reads a posted response.</summary>
    /// <exception cref="FunctionResponseException">It is not a response API Gateway would accept; the message says why.</exception>
    public static FunctionResponse Read(byte[] payload, EventFormat format)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException exception)
        {
            throw new FunctionResponseException($"it is not JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            bool structured = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out _);
            if (!structured)
            {
                if (format == EventFormat.RestApi)
                {
                    throw new FunctionResponseException("a REST API needs an object with a statusCode.");
                }

                // HTTP API payload 2.0 infers the rest: the function's JSON is the body.
                return new FunctionResponse(200, [new(HeaderNames.ContentType, "application/json")], payload, []);
            }

            return ReadStructured(root, format);
        }
    }

    private static FunctionResponse ReadStructured(JsonElement root, EventFormat format)
    {
        int statusCode = ReadStatusCode(root.GetProperty("statusCode"));
        var ignored = new List<string>();
        var single = ReadHeaders(root, "headers", multiValue: false);
        var multi = ReadHeaders(root, "multiValueHeaders", multiValue: true);
        var headers = new List<KeyValuePair<string, string>>();
        if (format == EventFormat.RestApi)
        {
            headers.AddRange(single.Where(h => !multi.Any(m => m.Key.Equals(h.Key, StringComparison.OrdinalIgnoreCase))));
            headers.AddRange(multi);
            if (root.TryGetProperty("cookies", out _))
            {
                ignored.Add("cookies");
            }
        }
        else
        {
            headers.AddRange(single);
            if (multi.Count > 0)
            {
                ignored.Add("multiValueHeaders");
            }

            foreach (var cookie in Array(root, "cookies", "cookies"))
            {
                headers.Add(new(HeaderNames.SetCookie, HeaderValue("cookies", cookie)));
            }
        }

        return new FunctionResponse(statusCode, headers, ReadBody(root), ignored);
    }

    private static int ReadStatusCode(JsonElement element)
    {
        int status = element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt32(out int number) => number,
            JsonValueKind.String when int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int text) => text,
            _ => 0,
        };
        return status is >= 200 and <= 599
            ? status
            : throw new FunctionResponseException($"statusCode {element.GetRawText()} is not an HTTP status from 200 to 599.");
    }

    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement root, string field, bool multiValue)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!root.TryGetProperty(field, out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return headers;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new FunctionResponseException($"{field} is a JSON {map.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        }

        foreach (var header in map.EnumerateObject())
        {
            if (header.Name.Length == 0 || header.Name.AsSpan().IndexOfAnyExcept(TokenCharacters) >= 0)
            {
                throw new FunctionResponseException($"{field} has a header name that is not a valid HTTP token: \"{header.Name}\".");
            }

            if (header.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var values = multiValue ? Array(map, header.Name, $"{field}.{header.Name}") : [header.Value];
            foreach (var value in values)
            {
                headers.Add(new(header.Name, HeaderValue(field, value)));
            }
        }

        return headers;
    }

    private static List<JsonElement> Array(JsonElement parent, string field, string description)
    {
        if (!parent.TryGetProperty(field, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : throw new FunctionResponseException($"{description} is a JSON {array.ValueKind.ToString().ToLowerInvariant()}, not an array.");
    }

    private static string HeaderValue(string field, JsonElement value)
    {
        string text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new FunctionResponseException($"{field} has a value that is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string."),
        };

        // What Kestrel can send: visible ASCII, spaces and tabs; no line breaks that would split the header.
        foreach (char c in text)
        {
            if ((c < 0x20 && c != '\t') || c >= 0x7F)
            {
                throw new FunctionResponseException($"{field} has a value with a control or non-ASCII character (U+{(int)c:X4}).");
            }
        }

        return text;
    }

    private static byte[] ReadBody(JsonElement root)
    {
        if (!root.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (body.ValueKind != JsonValueKind.String)
        {
            throw new FunctionResponseException($"body is a JSON {body.ValueKind.ToString().ToLowerInvariant()}, not a string.");
        }

        bool isBase64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (!isBase64)
        {
            return Encoding.UTF8.GetBytes(body.GetString()!);
        }

        return body.TryGetBytesFromBase64(out byte[]? bytes)
            ? bytes
            : throw new FunctionResponseException("isBase64Encoded is true but body is not valid base64.");
    }
}
