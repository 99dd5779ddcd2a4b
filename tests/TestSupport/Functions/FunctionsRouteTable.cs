using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.TestSupport;

/// <summary>
/// The HTTP functions of a published custom-handler app as the Functions host routes public requests to them: each
/// <c>*/function.json</c> with an <c>httpTrigger</c> gives a route template (after host.json's
/// <c>extensions.http.routePrefix</c>, "api" when absent), its inline constraints (<c>regex(…)</c>, <c>int</c>, …)
/// checked by ASP.NET Core's constraint resolver, and its methods (none listed: every method). A request no function
/// accepts gets the host's 404 and never reaches the app.
/// </summary>
public sealed class FunctionsRouteTable
{
    private static readonly IInlineConstraintResolver ConstraintResolver =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    private readonly List<(string Function, RouteTemplate Template, TemplateMatcher Matcher, string[] Methods)> _routes = [];

    private FunctionsRouteTable()
    {
    }

    /// <summary>The route templates by function name, prefix included (for messages and tests).</summary>
    public IReadOnlyDictionary<string, string> Routes => _routes.ToDictionary(r => r.Function, r => r.Template.TemplateText ?? string.Empty);

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
                string route = (trigger!["route"]?.GetValue<string>() ?? function).Trim('/');
                string full = prefix.Trim('/') is { Length: > 0 } p ? p + "/" + route : route;
                var template = TemplateParser.Parse(full);
                var defaults = new RouteValueDictionary();
                foreach (var parameter in template.Parameters.Where(p => p.DefaultValue is not null))
                {
                    defaults[parameter.Name!] = parameter.DefaultValue;
                }

                string[] methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToArray() ?? [];
                table._routes.Add((function, template, new TemplateMatcher(template, defaults), methods));
            }
        }

        return table;
    }

    /// <summary>The function the host would run for the request, or <see langword="null"/> (the host's 404).</summary>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path, decoded as Kestrel decodes it (everything but %2F).</param>
    public string? Find(string method, string path)
    {
        foreach (var (function, template, matcher, methods) in _routes.OrderBy(r => RoutePrecedence.ComputeInbound(r.Template)))
        {
            var values = new RouteValueDictionary();
            if ((methods.Length == 0 || methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                && matcher.TryMatch(path, values)
                && template.Parameters.All(p => p.InlineConstraints.All(c => ConstraintResolver.ResolveConstraint(c.Constraint)!.Match(null, null, p.Name!, values, RouteDirection.IncomingRequest))))
            {
                return function;
            }
        }

        return null;
    }
}
