using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Stores;

/// <summary>The README's custom store, registered as a user would, runs the whole session lifecycle.</summary>
public sealed class CustomStoreTests
{
    [Fact]
    public async Task The_README_store_keeps_rotates_and_deletes_sessions()
    {
        await using var app = await SessionTestApp.StartAsync(
            options =>
            {
                options.Store = "dictionary";
                options.EncryptionKey = null;
            },
            stores: sessions => sessions.AddStore<DictionaryStore>("Dictionary"));
        using var client = app.CreateClient();

        Assert.Equal("1", await client.GetStringAsync("/count"));
        Assert.Equal("2", await client.GetStringAsync("/count"));
        string before = client.SessionCookie!;
        await client.PostAsync("/rotate");
        Assert.NotEqual(before, client.SessionCookie);
        Assert.Equal("2", await client.GetStringAsync("/counter"));
        await client.PostAsync("/delete");
        Assert.Equal("<none>", await client.GetStringAsync("/counter"));
    }
}
