using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>
/// A stand-in for the AWS Parameters and Secrets Lambda Extension on a loopback port: <c>GET /secretsmanager/get</c> with
/// <c>secretId</c> and <c>versionStage</c> answers the secret's JSON (as GetSecretValue does) when the
/// <c>X-Aws-Parameters-Secrets-Token</c> header carries <see cref="Token"/>, 401 without it, and 400 with a
/// ResourceNotFoundException for a version it does not have.
/// </summary>
internal sealed class SecretsExtensionStandIn : IAsyncDisposable
{
    public const string Token = "session-token-of-the-function";

    private readonly WebApplication _app;

    private SecretsExtensionStandIn(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The versions served: (secret id, version stage) to the secret string.</summary>
    public ConcurrentDictionary<(string SecretId, string Stage), string> Secrets { get; } = new();

    /// <summary>An error to answer for every request instead of the secret: status and body.</summary>
    public (HttpStatusCode Status, string Body)? Failure { get; set; }

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Port { get; private set; }

    public static async Task<SecretsExtensionStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new SecretsExtensionStandIn(app);
        app.MapGet("/secretsmanager/get", (HttpContext context) => standIn.Answer(context));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.Port = new Uri(address).Port;
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Answer(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (context.Request.Headers["X-Aws-Parameters-Secrets-Token"] != Token)
        {
            return Results.Text("missing or invalid X-Aws-Parameters-Secrets-Token", statusCode: 401);
        }

        if (Failure is { } failure)
        {
            return Results.Text(failure.Body, statusCode: (int)failure.Status);
        }

        string secretId = context.Request.Query["secretId"].ToString();
        string stage = context.Request.Query["versionStage"].ToString();
        if (!Secrets.TryGetValue((secretId, stage), out string? value))
        {
            return Results.Text($"ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: {stage}", statusCode: 400);
        }

        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ARN"] = secretId,
            ["Name"] = "sessions-key",
            ["SecretString"] = value,
            ["VersionId"] = Guid.NewGuid().ToString(),
            ["VersionStages"] = new[] { stage },
        });
        return Results.Text(json, "application/json");
    }
}
