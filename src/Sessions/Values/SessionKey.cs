using System.Text.Json.Serialization.Metadata;

namespace SessionsServerless;

/// <summary>
/// A typed name for a session value, so that reading or writing it with the wrong type does not compile.
/// Declare keys once and share them: <c>static readonly SessionKey&lt;int&gt; Counter = new("counter");</c>
/// </summary>
/// <typeparam name="T">The value's type. Primitives, strings, <see cref="Guid"/> and dates work as they are; other types
/// need JSON metadata, from a source-generated <c>JsonSerializerContext</c> passed here or to
/// <see cref="SessionsOptions.AddJsonTypeInfoResolver"/>.</typeparam>
public sealed class SessionKey<T>
{
    private readonly JsonTypeInfo<T>? _typeInfo;
    private volatile Resolved? _resolved;

    /// <summary>Creates a key whose JSON metadata comes from the session options.</summary>
    /// <param name="name">The name the value is stored under (the key in hono-sessions' <c>_data</c>).</param>
    public SessionKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>Creates a key with its own JSON metadata, e.g. <c>new("cart", AppJsonContext.Default.Cart)</c>.</summary>
    /// <param name="name">The name the value is stored under.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    public SessionKey(string name, JsonTypeInfo<T> typeInfo)
        : this(name)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _typeInfo = typeInfo;
    }

    /// <summary>The name the value is stored under.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    internal JsonTypeInfo<T> GetTypeInfo(SessionValueSerializer serializer)
    {
        if (_typeInfo is not null)
        {
            return _typeInfo;
        }

        // Keys are usually static and shared by every app in the process: cache per serializer, published atomically.
        var resolved = _resolved;
        if (resolved is not null && ReferenceEquals(resolved.Serializer, serializer))
        {
            return resolved.TypeInfo;
        }

        var typeInfo = serializer.GetTypeInfo<T>(Name);
        _resolved = new Resolved(serializer, typeInfo);
        return typeInfo;
    }

    private sealed record Resolved(SessionValueSerializer Serializer, JsonTypeInfo<T> TypeInfo);
}
