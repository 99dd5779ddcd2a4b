using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>One HTTP function's route: its full template (route prefix included) and the methods it takes.</summary>
internal sealed class HttpRoute
{
    private readonly TemplateMatcher _matcher;

    public HttpRoute(WorkerFunction function, string routePrefix)
    {
        Function = function;
        string prefix = routePrefix.Trim('/');
        string route = (function.Route ?? function.Name).Trim('/');
        Template = TemplateParser.Parse(prefix.Length == 0 ? route : route.Length == 0 ? prefix : prefix + "/" + route);
        var defaults = new RouteValueDictionary();
        foreach (var parameter in Template.Parameters.Where(p => p.DefaultValue is not null))
        {
            defaults[parameter.Name!] = parameter.DefaultValue;
        }

        _matcher = new TemplateMatcher(Template, defaults);
        Precedence = RoutePrecedence.ComputeInbound(Template);
    }

    public WorkerFunction Function { get; }

    public RouteTemplate Template { get; }

    /// <summary>Lower is more specific (literal segments before parameters before catch-alls), as ASP.NET Core orders routes.</summary>
    public decimal Precedence { get; }

    public bool AcceptsMethod(string method) =>
        Function.Methods.Count == 0 || Function.Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>The route values when <paramref name="path"/> matches the template (constraints are not checked).</summary>
    public RouteValueDictionary? Match(string path)
    {
        var values = new RouteValueDictionary();
        return _matcher.TryMatch(path, values) ? values : null;
    }
}
