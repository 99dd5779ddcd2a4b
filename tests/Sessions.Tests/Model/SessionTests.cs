using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SessionsServerless.Tests.Model;

public sealed class SessionTests
{
    private static readonly SessionKey<string> Email = new("email");
    private static readonly SessionKey<int> Count = new("count");
    private static readonly SessionKey<string> Message = new("message");
    private static readonly SessionKey<Cart> CartKey = new("cart", TestJsonContext.Default.Cart);

    [Fact]
    public void Set_then_get_returns_the_value_with_its_type()
    {
        var session = NewSession();

        session.Set(Email, "a@b.c");
        session.Set(Count, 41);

        Assert.Equal("a@b.c", session.Get(Email));
        Assert.Equal(41, session.Get(Count));
        Assert.True(session.IsChanged);
    }

    [Fact]
    public void An_absent_value_reads_as_default_and_TryGet_says_so()
    {
        var session = NewSession();

        Assert.Null(session.Get(Email));
        Assert.Equal(0, session.Get(Count));
        Assert.False(session.TryGet(Count, out _));
        Assert.False(session.IsChanged);
    }

    [Fact]
    public void A_flash_value_is_gone_after_it_is_read_once()
    {
        var session = NewSession();
        session.Flash(Message, "Login Successful");

        Assert.True(session.ContainsKey("message"));
        Assert.Equal("Login Successful", session.Get(Message));
        Assert.Null(session.Get(Message));
        Assert.False(session.ContainsKey("message"));
    }

    [Fact]
    public void Reading_a_flash_value_loaded_from_the_cookie_is_a_change_to_save()
    {
        var data = new SessionData();
        data.Entries["message"] = new SessionEntry("\"hi\""u8.ToArray(), IsFlash: true);
        var session = new Session(data, Serializer, isNew: false);

        Assert.Equal("hi", session.Get(Message));
        Assert.True(session.IsChanged);
        Assert.True(session.IsEmpty);
    }

    [Fact]
    public void Setting_the_same_value_again_is_not_a_change()
    {
        var data = new SessionData();
        data.Entries["email"] = new SessionEntry("\"a@b.c\""u8.ToArray(), IsFlash: false);
        var session = new Session(data, Serializer, isNew: false);

        session.Set(Email, "a@b.c");

        Assert.False(session.IsChanged);
    }

    [Fact]
    public void Forget_removes_a_value_and_forgetting_an_absent_one_changes_nothing()
    {
        var session = NewSession();
        session.Forget("absent");
        Assert.False(session.IsChanged);

        session.Set(Email, "a@b.c");
        session.Forget(Email);

        Assert.False(session.ContainsKey("email"));
        Assert.True(session.IsEmpty);
    }

    [Fact]
    public void A_value_of_another_type_reads_as_absent_instead_of_throwing()
    {
        var session = NewSession();
        session.Set(Email, "not a number");

        Assert.False(session.TryGet(new SessionKey<int>("email"), out _));
        Assert.Equal(0, session.Get(new SessionKey<int>("email")));
    }

    [Fact]
    public void A_user_type_round_trips_with_source_generated_metadata()
    {
        var session = NewSession();

        session.Set(CartKey, new Cart(["apple", "pear"], 2.5m));

        var cart = session.Get(CartKey)!;
        Assert.Equal(["apple", "pear"], cart.Items);
        Assert.Equal(2.5m, cart.Total);
    }

    [Fact]
    public void A_user_type_resolves_through_a_resolver_registered_on_the_options()
    {
        var session = new Session(new SessionData(), new SessionValueSerializer([TestJsonContext.Default]), isNew: true);
        var key = new SessionKey<Cart>("cart");

        session.Set(key, new Cart(["x"], 1m));

        Assert.Equal(["x"], session.Get(key)!.Items);
    }

    [Fact]
    public void Delete_empties_the_session_and_refuses_later_changes()
    {
        var session = NewSession();
        session.Set(Email, "a@b.c");

        session.Delete();

        Assert.True(session.IsDeleted);
        Assert.True(session.IsEmpty);
        Assert.Null(session.Get(Email));
        var error = Assert.Throws<InvalidOperationException>(() => session.Set(Email, "again"));
        Assert.Contains("deleted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_save_started_every_change_throws_instead_of_being_lost()
    {
        var session = NewSession();
        session.Flash(Message, "x");
        session.MarkCommitted();

        Assert.Throws<InvalidOperationException>(() => session.Set(Email, "late"));
        Assert.Throws<InvalidOperationException>(() => session.Forget("message"));
        Assert.Throws<InvalidOperationException>(() => session.Get(Message));
        Assert.Throws<InvalidOperationException>(session.Touch);
        Assert.Throws<InvalidOperationException>(session.Delete);
        Assert.Throws<InvalidOperationException>(session.RegenerateId);
    }

    [Fact]
    public void Rebase_replays_this_requests_changes_on_fresher_data()
    {
        var loaded = new SessionData();
        loaded.Entries["a"] = new SessionEntry("1"u8.ToArray(), false);
        loaded.Entries["gone"] = new SessionEntry("1"u8.ToArray(), false);
        var session = new Session(loaded, Serializer, isNew: false);
        session.Set(new SessionKey<int>("mine"), 7);
        session.Forget("gone");

        var fresh = new SessionData();
        fresh.Entries["a"] = new SessionEntry("2"u8.ToArray(), false);
        fresh.Entries["theirs"] = new SessionEntry("5"u8.ToArray(), false);
        fresh.Entries["gone"] = new SessionEntry("1"u8.ToArray(), false);
        session.Rebase(fresh);

        Assert.Equal(2, session.Get(new SessionKey<int>("a")));
        Assert.Equal(5, session.Get(new SessionKey<int>("theirs")));
        Assert.Equal(7, session.Get(new SessionKey<int>("mine")));
        Assert.False(session.ContainsKey("gone"));
    }

    [Fact]
    public void A_key_without_a_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SessionKey<int>(""));
    }

    private static SessionValueSerializer Serializer { get; } = new([]);

    private static Session NewSession() => new(new SessionData(), Serializer, isNew: true);
}

public sealed record Cart(string[] Items, decimal Total);

[JsonSerializable(typeof(Cart))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
