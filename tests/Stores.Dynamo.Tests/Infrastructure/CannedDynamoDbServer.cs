using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every DynamoDB request with one error, in DynamoDB's JSON error format, for
/// the failures dynalite cannot produce (access denied, throttling, rejected credentials, server errors). The real SDK
/// parses the answers and applies its retry rules to them.
/// </summary>
public sealed class CannedDynamoDbServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CannedDynamoDbServer(HttpStatusCode status, string errorCode, string message)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        string body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["__type"] = "com.amazonaws.dynamodb.v20120810#" + errorCode,
            ["message"] = message,
        });
        _app.Run(async context =>
        {
            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("N");
            await context.Response.WriteAsync(body);
        });
    }

    public string ServiceUrl => _app.Urls.First();

    /// <summary>How many HTTP requests the server answered (the SDK's retries included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<CannedDynamoDbServer> StartAsync(HttpStatusCode status, string errorCode, string message)
    {
        var server = new CannedDynamoDbServer(status, errorCode, message);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
