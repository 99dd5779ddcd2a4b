using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IsolatedWorkerApp;

/// <summary>Always fails, so the host answers 500.</summary>
public sealed class ThrowFunction
{
    [Function("Throw")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "throw")] HttpRequest request) =>
        throw new InvalidOperationException("The fixture function failed on purpose.");
}
