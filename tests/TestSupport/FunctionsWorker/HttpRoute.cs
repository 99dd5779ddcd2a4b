using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>One HTTP function's route: its full template (route prefix included, constraints checked) and the methods it takes.</summary>
internal sealed class HttpRoute(WorkerFunction function, string routePrefix)
{
    private readonly FunctionRouteTemplate _template = new(routePrefix, function.Route ?? function.Name);

    public WorkerFunction Function { get; } = function;

    /// <summary>Lower is more specific (literal segments before parameters before catch-alls), as ASP.NET Core orders routes.</summary>
    public decimal Precedence => _template.Precedence;

    public bool AcceptsMethod(string method) =>
        Function.Methods.Count == 0 || Function.Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>The route values when <paramref name="path"/> matches the template and its constraints.</summary>
    public RouteValueDictionary? Match(string path, HttpContext? context) => _template.Match(path, context);
}
