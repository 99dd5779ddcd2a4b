using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace SessionsServerless.LambdaGateway;

/// <summary>What both event formats write the same way.</summary>
internal static class EventJson
{
    /// <summary>The account id events carry: not a real account.</summary>
    public const string AccountId = "000000000000";

    /// <summary>The API id events carry.</summary>
    public const string ApiId = "local";

    /// <summary>Writes <c>body</c> (null when empty) and <c>isBase64Encoded</c>: text as is, anything else base64-encoded.</summary>
    public static void WriteBody(Utf8JsonWriter json, byte[] body, bool sendAsText)
    {
        bool asText = sendAsText && Utf8.IsValid(body);
        if (body.Length == 0)
        {
            json.WriteNull("body");
        }
        else if (asText)
        {
            json.WriteString("body", body);
        }
        else
        {
            json.WriteBase64String("body", body);
        }

        json.WriteBoolean("isBase64Encoded", body.Length > 0 && !asText);
    }

    /// <summary>API Gateway's request time format: <c>25/Mar/2020:05:03:27 +0000</c>.</summary>
    public static string RequestTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    /// <summary>The first label of the domain name.</summary>
    public static string DomainPrefix(string domainName) => domainName.Split('.')[0];

    /// <summary>Writes an array of strings.</summary>
    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string?> values)
    {
        json.WriteStartArray(name);
        foreach (string? value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>Writes the finished document as bytes.</summary>
    public static byte[] Document(int sizeHint, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream(sizeHint);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.ToArray();
    }
}
