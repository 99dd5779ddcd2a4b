using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>Turns typed session values into JSON and back, with metadata from the options' resolvers.</summary>
internal sealed class SessionValueSerializer
{
    private readonly JsonSerializerOptions _options;

    public SessionValueSerializer(IOptions<SessionsOptions> options)
        : this(options.Value.GetJsonTypeInfoResolvers())
    {
    }

    public SessionValueSerializer(IReadOnlyList<IJsonTypeInfoResolver> resolvers)
    {
        var chain = new List<IJsonTypeInfoResolver>(resolvers) { SessionPrimitivesJsonContext.Default };
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            chain.Add(CreateReflectionResolver());
        }

        _options = new JsonSerializerOptions
        {
            // Values are sealed or stored, never embedded in HTML: keep non-ASCII as UTF-8, like JSON.stringify.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. chain]),
        };
        _options.MakeReadOnly();
    }

    public JsonTypeInfo<T> GetTypeInfo<T>(string keyName)
    {
        try
        {
            if (_options.GetTypeInfo(typeof(T)) is JsonTypeInfo<T> typeInfo)
            {
                return typeInfo;
            }
        }
        catch (NotSupportedException)
        {
        }

        throw new InvalidOperationException(
            $"The session key '{keyName}' stores {typeof(T).FullName}, which has no JSON metadata. Add a JsonSerializerContext " +
            $"with [JsonSerializable(typeof({typeof(T).Name}))] and pass its property to the key " +
            $"(new SessionKey<{typeof(T).Name}>(\"{keyName}\", AppJsonContext.Default.{typeof(T).Name})) or register the context " +
            "with options.AddJsonTypeInfoResolver(AppJsonContext.Default).");
    }

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public static bool TryDeserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, out T? value)
    {
        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only used when JsonSerializer.IsReflectionEnabledByDefault is true, a feature switch that trimmed and Native AOT apps turn off.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only used when JsonSerializer.IsReflectionEnabledByDefault is true, a feature switch that Native AOT apps turn off.")]
    private static DefaultJsonTypeInfoResolver CreateReflectionResolver() => new DefaultJsonTypeInfoResolver();
}
