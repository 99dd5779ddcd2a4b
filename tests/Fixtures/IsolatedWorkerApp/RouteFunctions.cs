using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IsolatedWorkerApp;

/// <summary>
/// Functions whose routes differ only by their constraints, and routes with optional parameters: each answers its own
/// name and the route values the host bound (<c>name=value</c> pairs, sorted), so a test sees which one the host chose.
/// </summary>
public static class RouteFunctions
{
    [Function("ItemById")]
    public static IActionResult ItemById([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:int}")] HttpRequest request, FunctionContext context) =>
        Answer("ItemById", context, "id");

    [Function("ItemByName")]
    public static IActionResult ItemByName([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{name:alpha:minlength(3)}")] HttpRequest request, FunctionContext context) =>
        Answer("ItemByName", context, "name");

    [Function("Archive")]
    public static IActionResult Archive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "archive/{year:int:range(2000,2099)?}/{month:int?}")] HttpRequest request, FunctionContext context) =>
        Answer("Archive", context, "year", "month");

    [Function("Report")]
    public static IActionResult Report([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{format:regex(^(csv|json)$)=json}")] HttpRequest request, FunctionContext context) =>
        Answer("Report", context, "format");

    private static ContentResult Answer(string function, FunctionContext context, params string[] names)
    {
        var data = context.BindingContext.BindingData;
        var pairs = names.Where(n => data.TryGetValue(n, out var value) && value is not null).Select(n => $"{n}={data[n]}");
        return new ContentResult { Content = string.Join(' ', [function, .. pairs]), ContentType = "text/plain", StatusCode = StatusCodes.Status200OK };
    }
}
