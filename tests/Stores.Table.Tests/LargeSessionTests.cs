using System.Net;
using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// Sessions longer than one property holds (32,768 characters) are split across properties, up to
/// <see cref="AzureTableSessionStore.MaxSessionLength"/>; a longer one is refused and the stored one stays as it was.
/// </summary>
public sealed class LargeSessionTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const int PropertyLength = 32 * 1024;

    [Fact]
    public async Task A_session_longer_than_one_property_is_split_across_properties_and_read_back_whole()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string data = Text(100_000);

        await subject.Store.SetAsync(key, subject.Session(data), default);

        var entity = Assert.Single(await subject.EntitiesAsync());
        Assert.Equal(["Data", "Data1", "Data2", "Data3"], DataProperties(entity).Keys);
        Assert.All(DataProperties(entity).Values, part => Assert.InRange(part.Length, 1, PropertyLength));
        Assert.Equal(data, (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_split_never_separates_the_two_halves_of_a_surrogate_pair()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string data = new string('a', PropertyLength - 1) + "\U0001F600" + new string('b', 10);

        await subject.Store.SetAsync(key, subject.Session(data), default);

        var parts = DataProperties(Assert.Single(await subject.EntitiesAsync()));
        Assert.Equal(PropertyLength - 1, parts["Data"].Length);
        Assert.StartsWith("\U0001F600", parts["Data1"], StringComparison.Ordinal);
        Assert.Equal(data, (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task The_longest_session_the_store_allows_is_stored_in_sixteen_properties_and_read_back_whole()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string data = Text(AzureTableSessionStore.MaxSessionLength);

        await subject.Store.SetAsync(key, subject.Session(data, TimeSpan.FromHours(1)), default);

        var entity = Assert.Single(await subject.EntitiesAsync());
        Assert.Equal(16, DataProperties(entity).Count);
        Assert.Equal(data, (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task A_session_one_character_too_long_is_refused_without_a_request_and_the_stored_one_is_unchanged()
    {
        var recorder = new RequestRecorder();
        using var subject = await StoreUnderTest.CreateAsync(azurite, recorder.ClientOptions());
        string key = StoreUnderTest.NewKey();
        string? version = await subject.Store.SetAsync(key, subject.Session("""{"kept":true}"""), default);
        recorder.Clear();

        var refused = await Assert.ThrowsAsync<SessionTooLargeException>(() =>
            subject.Store.SetAsync(key, subject.Session(Text(AzureTableSessionStore.MaxSessionLength + 1), version: version), default));

        Assert.Equal("table", refused.Store);
        Assert.Equal((AzureTableSessionStore.MaxSessionLength + 1) * 2, refused.Size);
        Assert.Equal(AzureTableSessionStore.MaxSessionLength * 2, refused.Limit);
        Assert.Contains($"{(AzureTableSessionStore.MaxSessionLength + 1) * 2} bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Store less in the session", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, refused.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Requests);
        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal("""{"kept":true}""", stored!.Data);
        Assert.Equal(version, stored.Version);
    }

    [Fact]
    public async Task A_split_session_that_shrinks_leaves_no_stale_parts_behind()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? version = await subject.Store.SetAsync(key, subject.Session(Text(80_000)), default);

        await subject.Store.SetAsync(key, subject.Session("""{"small":true}""", version: version), default);

        Assert.Equal(["Data"], DataProperties(Assert.Single(await subject.EntitiesAsync())).Keys);
        Assert.Equal("""{"small":true}""", (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task Through_the_middleware_the_largest_value_that_fits_is_saved_and_one_more_character_answers_500_keeping_the_old_session()
    {
        var table = await azurite.CreateTableAsync();
        var logs = new CapturingLoggerProvider();
        await using var app = await SessionTestApp.StartAsync(
            options => options.Store = AzureTableSessionStore.StoreName,
            clock: SessionTestApp.NewClock(),
            stores: sessions => sessions.AddAzureTableStore().Services.AddSingleton(table),
            endpoints: web => web.MapPost("/fill/{length:int}", (int length, Session session) =>
            {
                session.Set(new SessionKey<string>("blob"), new string('x', length));
                return "filled";
            }),
            logger: logs);
        using var client = app.CreateClient();

        // The session's JSON around a value (its key, flags, timestamps) is the same for every length.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/fill/0")).StatusCode);
        int envelope = SessionJsonLength(Assert.Single(await table.EntitiesAsync()));
        int largest = AzureTableSessionStore.MaxSessionLength - envelope;

        using (var fits = await client.PostAsync($"/fill/{largest}"))
        {
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        }

        Assert.Equal(AzureTableSessionStore.MaxSessionLength, SessionJsonLength(Assert.Single(await table.EntitiesAsync())));
        string cookie = client.SessionCookie!;

        using (var tooLarge = await client.PostAsync($"/fill/{largest + 1}"))
        {
            // Sending it again cannot succeed: a server error, not 503 with Retry-After.
            Assert.Equal(HttpStatusCode.InternalServerError, tooLarge.StatusCode);
            Assert.Null(tooLarge.Headers.RetryAfter);
            Assert.Empty(client.LastSetCookies);
        }

        Assert.Equal(cookie, client.SessionCookie);
        Assert.Equal(largest, (await client.GetStringAsync("/get/blob")).Length);
        var failure = Assert.IsType<SessionTooLargeException>(Assert.Single(logs.Records, record => record.Exception is SessionTooLargeException).Exception);
        Assert.Equal(((AzureTableSessionStore.MaxSessionLength + 1) * 2, AzureTableSessionStore.MaxSessionLength * 2, "table"), (failure.Size, failure.Limit, failure.Store));
    }

    /// <summary>Text that mixes ASCII, two-byte and three-byte characters and surrogate pairs, so splits land anywhere.</summary>
    private static string Text(int length)
    {
        var text = new StringBuilder(length);
        string[] pieces = ["session ", "é", "数据", "\U0001F600", "{\"k\":1}"];
        for (int i = 0; text.Length < length; i++)
        {
            text.Append(pieces[i % pieces.Length]);
        }

        // Never end on half a surrogate pair.
        text.Length = length;
        if (char.IsHighSurrogate(text[^1]))
        {
            text[^1] = 'z';
        }

        return text.ToString();
    }

    private static Dictionary<string, string> DataProperties(TableEntity entity) =>
        entity.Where(property => property.Key.StartsWith("Data", StringComparison.Ordinal))
            .OrderBy(property => property.Key.Length).ThenBy(property => property.Key, StringComparer.Ordinal)
            .ToDictionary(property => property.Key, property => (string)property.Value);

    private static int SessionJsonLength(TableEntity entity) => DataProperties(entity).Values.Sum(part => part.Length);
}
