using Microsoft.Extensions.Hosting;

namespace SessionsApp;

/// <summary>Runs the app as an Azure Functions isolated worker (under <c>func start</c> locally, or in Azure).</summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">The arguments the Functions host passes.</param>
    /// <returns>A task that completes when the worker stops.</returns>
    public static Task Main(string[] args) => App.CreateBuilder(args).Build().RunAsync();
}
