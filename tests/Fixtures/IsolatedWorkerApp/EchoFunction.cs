using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IsolatedWorkerApp;

/// <summary>Echoes what reached it (method, path, query, a header, the body, the invocation's trace parent) and sets two cookies.</summary>
public sealed partial class EchoFunction(ILogger<EchoFunction> logger)
{
    [Function("Echo")]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "echo/{name}")] HttpRequest request,
        string name,
        FunctionContext context)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.CancellationToken);
        LogEcho(logger, name);

        var response = request.HttpContext.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers["X-Echo-Method"] = request.Method;
        response.Headers["X-Echo-Name"] = name;
        response.Headers["X-Echo-Header"] = request.Headers["X-Test-Header"].ToString();
        response.Headers["X-Echo-Query"] = request.Query["q"].ToString();
        response.Headers["X-Echo-TraceParent"] = context.TraceContext.TraceParent;
        response.Headers["X-Echo-TraceState"] = context.TraceContext.TraceState;
        response.Headers["X-Echo-Invocation"] = context.InvocationId;
        response.Cookies.Append("first", "one", new CookieOptions { Path = "/", HttpOnly = true });
        response.Cookies.Append("second", "two", new CookieOptions { Path = "/echo" });
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(body.Length.ToString(CultureInfo.InvariantCulture) + ":" + body, context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Echo called for {Name}")]
    private static partial void LogEcho(ILogger logger, string name);
}
