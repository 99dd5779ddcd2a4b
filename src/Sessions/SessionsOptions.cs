using System.Text.Json.Serialization.Metadata;

namespace SessionsServerless;

/// <summary>
/// Options for sessions, bindable from the <c>Sessions</c> configuration section (so <c>Sessions__EncryptionKey</c>,
/// <c>Sessions__ExpireAfterSeconds</c> and <c>Sessions__Store</c> work as environment variables).
/// </summary>
public sealed class SessionsOptions
{
    /// <summary>The configuration section the options bind from: <c>Sessions</c>.</summary>
    public const string SectionName = "Sessions";

    /// <summary>The shortest encryption key accepted, in UTF-16 code units (as iron counts a JavaScript string).</summary>
    public const int MinimumEncryptionKeyLength = 32;

    private readonly List<IJsonTypeInfoResolver> _jsonTypeInfoResolvers = [];
    private Func<string>? _encryptionKeyProvider;

    /// <summary>
    /// Where sessions live: <c>cookie</c> (the default: the whole session sealed in the cookie, no server state),
    /// <c>memory</c>, or the name a store package registered (<c>dynamodb</c>, <c>table</c>). Case-insensitive.
    /// </summary>
    public string Store { get; set; } = SessionStoreNames.Cookie;

    /// <summary>
    /// The password that seals cookies (iron <c>Fe26.2</c>), at least 32 characters. Required for the cookie store;
    /// optional for server stores, where it seals the session id in the cookie (as hono-sessions does).
    /// A Hono app that uses the same key reads and writes the same cookies.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// Keys used before <see cref="EncryptionKey"/>, still accepted for reading. A cookie sealed with one of them is
    /// re-sealed with <see cref="EncryptionKey"/> on the same response, so a key can be rotated without logging anybody out.
    /// </summary>
    public IList<string> PreviousEncryptionKeys { get; set; } = new List<string>();

    /// <summary>The idle expiry that applies when none is configured: 20 minutes, as ASP.NET Core's session.</summary>
    public static readonly TimeSpan DefaultExpireAfter = TimeSpan.FromMinutes(20);

    /// <summary>
    /// How long a session lives without a request (default 20 minutes, <see cref="DefaultExpireAfter"/>), or
    /// <see langword="null"/> to turn the idle expiry off (hono-sessions' default; configuration:
    /// <c>Sessions:ExpireAfterSeconds</c> = 0). An expired session is deleted and a fresh one takes its place. While it is on,
    /// a cookie without an expiry is treated as expired and one that claims a later expiry than this window allows is
    /// clamped to it, so a copied cookie never outlives the setting.
    /// </summary>
    public TimeSpan? ExpireAfter { get; set; } = DefaultExpireAfter;

    /// <summary>
    /// <see cref="ExpireAfter"/> in whole seconds, the name hono-sessions uses (<c>expireAfterSeconds</c>) and the
    /// configuration key <c>Sessions:ExpireAfterSeconds</c>; 0 turns the idle expiry off.
    /// </summary>
    public int? ExpireAfterSeconds
    {
        get => ExpireAfter is { } value ? (int)value.TotalSeconds : 0;
        set => ExpireAfter = value is { } seconds and not 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>
    /// Whether a request extends <see cref="ExpireAfter"/> even when it changes nothing (default <see langword="true"/>).
    /// When <see langword="false"/>, only a change or <see cref="Session.Touch"/> extends it.
    /// </summary>
    public bool AutoExtendExpiration { get; set; } = true;

    /// <summary>
    /// How much of the <see cref="ExpireAfter"/> window must have passed since the expiry was last written before a
    /// request that changed nothing writes a new one: 0.5 (the default) means half the window. Until then such a request
    /// costs no cookie re-seal and no store write. 0 renews on every request, as hono-sessions does.
    /// </summary>
    public double RenewalThreshold { get; set; } = 0.5;

    /// <summary>
    /// The longest a session may live from its creation, however active it is, or <see langword="null"/> (the default)
    /// for no cap. The creation time is kept in the session data, so it survives <see cref="Session.RegenerateId"/>. While
    /// it is set, a session without a creation time is treated as expired and one created in the future is clamped to now.
    /// </summary>
    public TimeSpan? AbsoluteLifetime { get; set; }

    /// <summary><see cref="AbsoluteLifetime"/> in whole seconds (configuration key <c>Sessions:AbsoluteLifetimeSeconds</c>).</summary>
    public int? AbsoluteLifetimeSeconds
    {
        get => AbsoluteLifetime is { } value ? (int)value.TotalSeconds : null;
        set => AbsoluteLifetime = value is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>The session cookie's name and attributes.</summary>
    public SessionCookieOptions Cookie { get; set; } = new();

    /// <summary>
    /// Whether a response that sets or clears the session cookie is marked <c>Cache-Control: no-store</c> so no shared
    /// cache keeps one visitor's cookie for another (default <see langword="true"/>).
    /// </summary>
    public bool NoStoreWhenCookieIsWritten { get; set; } = true;

    /// <summary>
    /// How many times a server-store write that lost a race to another request is replayed on fresh data before the
    /// request is answered with 409 Conflict (default 3).
    /// </summary>
    public int ConcurrencyRetries { get; set; } = 3;

    /// <summary>
    /// Sets a function that returns the encryption key, called once at startup (hono-sessions' <c>encryptionKey</c> may
    /// also be a function). It takes precedence over <see cref="EncryptionKey"/>.
    /// </summary>
    /// <param name="provider">Returns the key; at least 32 characters.</param>
    /// <returns>These options.</returns>
    public SessionsOptions UseEncryptionKey(Func<string> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _encryptionKeyProvider = provider;
        return this;
    }

    /// <summary>
    /// Adds JSON metadata for the types stored in sessions, normally a source-generated <c>JsonSerializerContext</c>
    /// (<c>options.AddJsonTypeInfoResolver(AppJsonContext.Default)</c>). Primitive types, strings, <see cref="Guid"/>,
    /// dates and their arrays need none. A <see cref="SessionKey{T}"/> created with a <c>JsonTypeInfo</c> needs none either.
    /// </summary>
    /// <param name="resolver">The metadata source.</param>
    /// <returns>These options.</returns>
    public SessionsOptions AddJsonTypeInfoResolver(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _jsonTypeInfoResolvers.Add(resolver);
        return this;
    }

    // Methods, not properties, so configuration binding leaves them alone.
    internal Func<string>? GetEncryptionKeyProvider() => _encryptionKeyProvider;

    internal IReadOnlyList<IJsonTypeInfoResolver> GetJsonTypeInfoResolvers() => _jsonTypeInfoResolvers;
}
