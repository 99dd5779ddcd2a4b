using System.Text.Json.Nodes;

namespace SessionsServerless.Tests.Conformance;

/// <summary>
/// The shared conformance material CI places beside the clone (../shared), found through SESSIONS_SHARED_DIR.
/// A user's clone has no such folder; these tests are excluded from the README test command and run by .ci/run.
/// </summary>
internal static class SharedFixtures
{
    public const string MissingMarker = "(SESSIONS_SHARED_DIR is not set)";

    private static readonly Lazy<JsonObject?> Vectors = new(LoadVectors);

    public static JsonObject IronVectors => Vectors.Value ?? throw new InvalidOperationException(
        "Conformance tests need SESSIONS_SHARED_DIR pointing at the shared folder that holds fixtures/iron/vectors.json (CI sets it to ../shared).");

    /// <summary>The names of the entries of one list of vectors.json, or a marker that makes the test fail when the folder is missing.</summary>
    public static TheoryData<string> Names(string list)
    {
        var data = new TheoryData<string>();
        if (Vectors.Value is not { } vectors)
        {
            data.Add(MissingMarker);
            return data;
        }

        foreach (var entry in vectors[list]!.AsArray())
        {
            data.Add(entry!["name"]!.GetValue<string>());
        }

        return data;
    }

    public static JsonObject Entry(string list, string name) =>
        IronVectors[list]!.AsArray().Single(entry => entry!["name"]!.GetValue<string>() == name)!.AsObject();

    private static JsonObject? LoadVectors()
    {
        string? shared = Environment.GetEnvironmentVariable("SESSIONS_SHARED_DIR");
        if (string.IsNullOrEmpty(shared))
        {
            return null;
        }

        string path = Path.Combine(shared, "fixtures", "iron", "vectors.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"SESSIONS_SHARED_DIR is set but {path} does not exist.", path);
        }

        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }
}
