using System.Text;

namespace SessionsServerless.Tests.Model;

public sealed class SessionJsonTests
{
    [Fact]
    public void Reads_the_session_shape_hono_sessions_writes()
    {
        var data = Read("""{"_data":{"email":{"value":"test@test.com","flash":false},"error":{"value":"Incorrect","flash":true}},"_expire":"2030-01-01T00:00:00.000Z","_delete":false,"_accessed":"2026-01-01T00:00:00.000Z","_id":"0b6f"}""");

        Assert.NotNull(data);
        Assert.Equal("\"test@test.com\"", Encoding.UTF8.GetString(data.Entries["email"].Json.Span));
        Assert.False(data.Entries["email"].IsFlash);
        Assert.True(data.Entries["error"].IsFlash);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), data.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), data.LastAccessed);
        Assert.False(data.IsDeleted);
    }

    [Fact]
    public void Reads_an_empty_default_session()
    {
        var data = Read("""{"_data":{},"_expire":null,"_delete":false,"_accessed":null}""");

        Assert.NotNull(data);
        Assert.Empty(data.Entries);
        Assert.Null(data.ExpiresAt);
        Assert.Null(data.LastAccessed);
    }

    [Fact]
    public void Writes_hono_sessions_shape_with_JavaScript_timestamps()
    {
        var data = new SessionData
        {
            ExpiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, 123, TimeSpan.Zero),
            LastAccessed = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)),
        };
        data.Entries["counter"] = new SessionEntry("3"u8.ToArray(), false);
        data.Entries["name"] = new SessionEntry(Encoding.UTF8.GetBytes("\"Zoë 🎉\""), true);

        Assert.Equal(
            """{"_data":{"counter":{"value":3,"flash":false},"name":{"value":"Zoë 🎉","flash":true}},"_expire":"2030-01-01T00:00:00.123Z","_delete":false,"_accessed":"2026-01-01T00:00:00.000Z"}""",
            SessionJson.WriteToString(data));
    }

    [Theory]
    [InlineData(2029, 11, 28, 23, 59, 58, 7, "2029-11-28T23:59:58.007Z")]
    [InlineData(1, 1, 1, 0, 0, 0, 0, "0001-01-01T00:00:00.000Z")]
    [InlineData(9999, 12, 31, 9, 8, 7, 999, "9999-12-31T09:08:07.999Z")]
    public void Writes_every_digit_of_a_timestamp_as_toISOString_does(int year, int month, int day, int hour, int minute, int second, int millisecond, string expected)
    {
        var data = new SessionData { ExpiresAt = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero) };

        Assert.Contains($"\"_expire\":\"{expected}\"", SessionJson.WriteToString(data), StringComparison.Ordinal);
    }

    [Fact]
    public void Value_names_read_back_exactly_whatever_names_came_before()
    {
        // Names are cached in a few slots: many names, colliding ones among them, escaped and long ones, must each
        // come back as themselves, in any order, again and again.
        var names = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? $"name-{i}" : i % 3 == 1 ? $"é\"{i}" : new string('n', 60 + (i % 10)) + i).ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (string name in names.Reverse().Concat(names))
            {
                var data = new SessionData();
                data.Entries[name] = new SessionEntry("1"u8.ToArray(), false);
                data.Entries["counter"] = new SessionEntry("2"u8.ToArray(), false);

                var read = Read(SessionJson.WriteToString(data))!;

                Assert.Equal(new[] { name, "counter" }, read.Entries.Keys.ToArray());
            }
        }
    }

    [Fact]
    public void Keeps_the_creation_time_only_when_there_is_one()
    {
        var data = new SessionData { CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        string json = SessionJson.WriteToString(data);

        Assert.EndsWith(""","_created":"2030-01-01T00:00:00.000Z"}""", json, StringComparison.Ordinal);
        Assert.Equal(data.CreatedAt, Read(json)!.CreatedAt);
        Assert.DoesNotContain("_created", SessionJson.WriteToString(new SessionData()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_round_trips_byte_for_byte()
    {
        const string Json = """{"_data":{"cart":{"value":{"items":[1,2,{"sku":"a\"b"}],"total":1.50},"flash":false}},"_expire":null,"_delete":false,"_accessed":null}""";

        Assert.Equal(Json, SessionJson.WriteToString(Read(Json)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"a string\"")]
    [InlineData("{}")]
    [InlineData("""{"_data":[]}""")]
    [InlineData("""{"_data":{"k":1}}""")]
    [InlineData("""{"_data":{},"_expire":"not a date"}""")]
    [InlineData("""{"_data":{},"_expire":12}""")]
    [InlineData("""{"_data":{}} trailing""")]
    [InlineData("""{"_data":{""")]
    public void Refuses_what_is_not_a_session(string json)
    {
        Assert.Null(Read(json));
    }

    private static SessionData? Read(string json) => SessionJson.Read(Encoding.UTF8.GetBytes(json));
}
