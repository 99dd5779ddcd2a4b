using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionsApp;

/// <summary>What <c>GET /</c> returns.</summary>
/// <param name="Visits">Visits counted in this session.</param>
/// <param name="Name">The name given at sign-in, or <see langword="null"/>.</param>
public sealed record VisitSummary(int Visits, string? Name);

/// <summary>The body of <c>POST /sign-in</c>.</summary>
/// <param name="Name">The name to remember.</param>
public sealed record SignInRequest(string? Name);

/// <summary>JSON metadata generated at build time for the types the endpoints read and write (trimming and Native AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(VisitSummary))]
[JsonSerializable(typeof(SignInRequest))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
