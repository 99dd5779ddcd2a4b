using System.Text.Json.Nodes;

namespace SessionsServerless.TestSupport;

/// <summary>
/// The HTTP functions of a published custom-handler app as the Functions host routes public requests to them: each
/// <c>*/function.json</c> with an <c>httpTrigger</c> gives a route template (after host.json's
/// <c>extensions.http.routePrefix</c>, "api" when absent), its inline constraints (<c>regex(…)</c>, <c>int</c>, …)
/// checked by ASP.NET Core's constraint resolver (<see cref="FunctionRouteTemplate"/>), and its methods (none listed: every method). A request no function
/// accepts gets the host's 404 and never reaches the app.
/// </summary>
public sealed class FunctionsRouteTable
{
    private readonly List<(string Function, FunctionRouteTemplate Template, string[] Methods)> _routes = [];

    private FunctionsRouteTable()
    {
    }

    /// <summary>The route templates by function name, prefix included (for messages and tests).</summary>
    public IReadOnlyDictionary<string, string> Routes => _routes.ToDictionary(r => r.Function, r => r.Template.Text);

    public static FunctionsRouteTable Read(string appFolder)
    {
        var table = new FunctionsRouteTable();
        string prefix = JsonNode.Parse(File.ReadAllText(Path.Combine(appFolder, "host.json")))?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        foreach (string file in Directory.EnumerateFiles(appFolder, "function.json", SearchOption.AllDirectories))
        {
            string function = Path.GetFileName(Path.GetDirectoryName(file)!);
            var bindings = JsonNode.Parse(File.ReadAllText(file))?["bindings"]?.AsArray() ?? [];
            foreach (var trigger in bindings.Where(b => b?["type"]?.GetValue<string>().Equals("httpTrigger", StringComparison.OrdinalIgnoreCase) == true))
            {
                var template = new FunctionRouteTemplate(prefix, trigger!["route"]?.GetValue<string>() ?? function);
                string[] methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToArray() ?? [];
                table._routes.Add((function, template, methods));
            }
        }

        var ordered = table._routes.OrderBy(r => r.Template.Precedence).ToList();
        table._routes.Clear();
        table._routes.AddRange(ordered);
        return table;
    }

    /// <summary>The function the host would run for the request, or <see langword="null"/> (the host's 404).</summary>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path, decoded as Kestrel decodes it (everything but %2F).</param>
    public string? Find(string method, string path)
    {
        foreach (var (function, template, methods) in _routes)
        {
            if ((methods.Length == 0 || methods.Contains(method, StringComparer.OrdinalIgnoreCase)) && template.Match(path) is not null)
            {
                return function;
            }
        }

        return null;
    }
}
