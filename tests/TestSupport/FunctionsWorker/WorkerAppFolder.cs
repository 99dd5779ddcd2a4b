using System.Text.Json;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// What the host reads from a published isolated-worker app's folder: how to start the worker (worker.config.json), the
/// HTTP route prefix (host.json <c>extensions.http.routePrefix</c>, "api" when absent) and, if the folder has one,
/// local.settings.json's <c>Values</c>.
/// </summary>
internal sealed record WorkerAppFolder(string Directory, string WorkerPath, string RoutePrefix, IReadOnlyDictionary<string, string> LocalSettings)
{
    public const string DefaultRoutePrefix = "api";

    public static WorkerAppFolder Read(string directory)
    {
        string full = Path.GetFullPath(directory);
        string config = Path.Combine(full, "worker.config.json");
        if (!File.Exists(config))
        {
            throw new InvalidOperationException($"{full} has no worker.config.json: pass the folder `dotnet publish` wrote for an isolated-worker app.");
        }

        using var configDocument = JsonDocument.Parse(File.ReadAllText(config), Options);
        var description = Property(configDocument.RootElement, "description")
            ?? throw new InvalidOperationException("worker.config.json has no description.");
        string executable = Property(description, "defaultExecutablePath")?.GetString() ?? "dotnet";
        if (!Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"worker.config.json starts '{executable}'; this host runs framework-dependent workers with dotnet only.");
        }

        string workerPath = Property(description, "defaultWorkerPath")?.GetString()
            ?? throw new InvalidOperationException("worker.config.json names no defaultWorkerPath.");

        return new WorkerAppFolder(full, workerPath, ReadRoutePrefix(full), ReadLocalSettings(full));
    }

    private static JsonDocumentOptions Options => new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static string ReadRoutePrefix(string directory)
    {
        string path = Path.Combine(directory, "host.json");
        if (!File.Exists(path))
        {
            return DefaultRoutePrefix;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), Options);
        var prefix = Property(document.RootElement, "extensions") is { } extensions && Property(extensions, "http") is { } http
            ? Property(http, "routePrefix")
            : null;
        return prefix?.GetString() ?? DefaultRoutePrefix;
    }

    private static Dictionary<string, string> ReadLocalSettings(string directory)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string path = Path.Combine(directory, "local.settings.json");
        if (!File.Exists(path))
        {
            return settings;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), Options);
        if (Property(document.RootElement, "Values") is { ValueKind: JsonValueKind.Object } values)
        {
            foreach (var value in values.EnumerateObject())
            {
                settings[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText();
            }
        }

        return settings;
    }

    /// <summary>A property by name, ignoring case (Functions metadata and config files are not consistent about it).</summary>
    internal static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
