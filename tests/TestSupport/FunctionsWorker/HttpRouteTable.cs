using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>
/// Finds the HTTP function a request is for, as the Functions host's router does: most specific template first, the
/// first whose methods, template and constraints all accept the request; none gives the host's 404.
/// </summary>
internal sealed class HttpRouteTable(IEnumerable<WorkerFunction> functions, string routePrefix)
{
    private readonly HttpRoute[] _routes = [.. functions.Where(f => f.IsHttp).Select(f => new HttpRoute(f, routePrefix)).OrderBy(r => r.Precedence)];

    public (WorkerFunction Function, RouteValueDictionary Values)? Find(string method, string path, HttpContext? context = null)
    {
        foreach (var route in _routes)
        {
            if (route.AcceptsMethod(method) && route.Match(path, context) is { } values)
            {
                return (route.Function, values);
            }
        }

        return null;
    }
}
