using System.Text;

namespace SessionsServerless.Tests.Sealing;

public sealed class JsonStringLiteralTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote\" backslash\\", "\"quote\\\" backslash\\\\\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [InlineData("del\u007f <script>&'</script> \u2028\u2029 日本 🎉", "\"del\u007f <script>&'</script> \u2028\u2029 日本 🎉\"")]
    public void Writes_what_JavaScript_JSON_stringify_writes(string value, string expected)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        byte[] buffer = new byte[JsonStringLiteral.GetMaxLength(utf8.Length)];

        int length = JsonStringLiteral.Write(utf8, buffer);

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, length));
    }

    [Theory]
    [InlineData("\"a\\u0041\\n\"", "aA\n")]
    [InlineData("  \"padded\"  ", "padded")]
    public void Reads_a_JSON_string(string json, string expected)
    {
        Assert.True(JsonStringLiteral.TryRead(Encoding.UTF8.GetBytes(json), out byte[]? content, out int length));
        Assert.Equal(expected, Encoding.UTF8.GetString(content!, 0, length));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("\"a\" \"b\"")]
    [InlineData("\"unterminated")]
    [InlineData("")]
    public void Refuses_anything_but_one_JSON_string(string json)
    {
        Assert.False(JsonStringLiteral.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));
    }
}
