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

    [Theory]
    [InlineData("\"{\\\"_data\\\":{\\\"a\\\":{\\\"value\\\":\\\"x\\\\\\\\y\\\",\\\"flash\\\":false}}}\"", "{\"_data\":{\"a\":{\"value\":\"x\\\\y\",\"flash\":false}}}")]
    [InlineData("\"line\\nbreak \\u00e9 \\/ \\\"q\\\"\"", "line\nbreak é / \"q\"")]
    [InlineData("\"\"", "")]
    public void Reads_into_an_owned_array_what_the_pooled_read_gives(string json, string expected)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(JsonStringLiteral.TryReadOwned(utf8, out byte[]? owned, out int ownedLength));
        Assert.True(JsonStringLiteral.TryRead(utf8, out byte[]? pooled, out int pooledLength));
        Assert.Equal(expected, Encoding.UTF8.GetString(owned!, 0, ownedLength));
        Assert.Equal(expected, Encoding.UTF8.GetString(pooled!, 0, pooledLength));
    }

    [Theory]
    [InlineData("\"a\"b\"")]
    [InlineData("\"ends in a backslash\\\"")]
    [InlineData("\"raw\ncontrol\"")]
    [InlineData("\"bad \\x escape\"")]
    public void Refuses_a_quoted_text_that_is_not_one_JSON_string(string json)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        Assert.False(JsonStringLiteral.TryRead(utf8, out _, out _));
        Assert.False(JsonStringLiteral.TryReadOwned(utf8, out _, out _));
    }

    [Fact]
    public void Every_text_written_reads_back_as_it_was()
    {
        var random = new Random(20261202);
        const string alphabet = "ab\"\\/{}:,\n\t\u0001\u001f é日🎉";
        for (int i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 80);
            while (text.Length < length)
            {
                int index = random.Next(alphabet.Length);
                text.Append(char.IsHighSurrogate(alphabet[index]) ? alphabet.Substring(index, 2) : char.IsLowSurrogate(alphabet[index]) ? "x" : alphabet[index].ToString());
            }

            byte[] utf8 = Encoding.UTF8.GetBytes(text.ToString());
            byte[] literal = new byte[JsonStringLiteral.GetMaxLength(utf8.Length)];
            int literalLength = JsonStringLiteral.Write(utf8, literal);
            Assert.True(JsonStringLiteral.TryReadOwned(literal.AsSpan(0, literalLength), out byte[]? owned, out int ownedLength));
            Assert.Equal(utf8, owned.AsSpan(0, ownedLength).ToArray());
            Assert.True(JsonStringLiteral.TryRead(literal.AsSpan(0, literalLength), out byte[]? pooled, out int pooledLength));
            Assert.Equal(utf8, pooled.AsSpan(0, pooledLength).ToArray());
        }
    }
}
