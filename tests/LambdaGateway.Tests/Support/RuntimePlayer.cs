using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.LambdaGateway.Tests.Support;

/// <summary>The test in the app's place: talks to the gateway's Runtime API over HTTP as a Lambda runtime does.</summary>
internal sealed class RuntimePlayer : IDisposable
{
    private readonly HttpClient _http;

    public RuntimePlayer(string runtimeApi)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"),
            Timeout = TimeSpan.FromSeconds(90),
        };
    }

    /// <summary>GET next: waits for an invocation.</summary>
    public async Task<PlayedInvocation> NextAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string Header(string name) => response.Headers.GetValues(name).Single();
        return new PlayedInvocation(
            Header("Lambda-Runtime-Aws-Request-Id"),
            long.Parse(Header("Lambda-Runtime-Deadline-Ms"), System.Globalization.CultureInfo.InvariantCulture),
            Header("Lambda-Runtime-Invoked-Function-Arn"),
            Header("Lambda-Runtime-Trace-Id"),
            JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject());
    }

    /// <summary>POST response.</summary>
    public Task<HttpResponseMessage> RespondAsync(string requestId, JsonNode response) => RespondAsync(requestId, response.ToJsonString());

    public Task<HttpResponseMessage> RespondAsync(string requestId, string payload) =>
        PostAsync($"runtime/invocation/{requestId}/response", payload, "application/json", errorType: null);

    /// <summary>POST error.</summary>
    public Task<HttpResponseMessage> FailAsync(string requestId, string errorType, string errorMessage) =>
        PostAsync($"runtime/invocation/{requestId}/error", ErrorDocument(errorType, errorMessage), "application/vnd.aws.lambda.error+json", errorType);

    /// <summary>POST init/error.</summary>
    public Task<HttpResponseMessage> InitFailedAsync(string errorType, string errorMessage) =>
        PostAsync("runtime/init/error", ErrorDocument(errorType, errorMessage), "application/vnd.aws.lambda.error+json", errorType);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public void Dispose() => _http.Dispose();

    private static string ErrorDocument(string errorType, string errorMessage) =>
        new JsonObject { ["errorMessage"] = errorMessage, ["errorType"] = errorType, ["stackTrace"] = new JsonArray("at Function.Handle()") }.ToJsonString();

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, string? errorType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        }

        return await _http.SendAsync(request);
    }
}

/// <summary>An invocation as GET next delivered it.</summary>
internal sealed record PlayedInvocation(string RequestId, long DeadlineMs, string FunctionArn, string TraceId, JsonObject Event);
