using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace SessionsServerless.Lambda;

/// <summary>Talks to the Lambda Runtime API (version 2018-06-01) over HTTP.</summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;

    public RuntimeApiClient(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

        // GET next blocks until Lambda has an invocation, which can take as long as the environment stays frozen.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The base address of the API version, e.g. <c>http://127.0.0.1:9001/2018-06-01/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Waits for the next invocation.</summary>
    public async Task<RuntimeApiInvocation> GetNextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException("GET /runtime/invocation/next", response.StatusCode);
        }

        string requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("The Lambda Runtime API sent an invocation without a Lambda-Runtime-Aws-Request-Id header.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : DateTimeOffset.MaxValue;
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeApiInvocation(requestId, body, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"), Header(response, "Lambda-Runtime-Trace-Id"));
    }

    /// <summary>
    /// SnapStart: tells Lambda the initialization is done, so it can take the snapshot; returns once the environment was
    /// restored from it.
    /// </summary>
    public async Task RestoreNextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/restore/next", HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException("GET /runtime/restore/next", response.StatusCode);
        }
    }

    /// <summary>SnapStart: reports that the environment could not be brought back after a restore.</summary>
    public Task PostRestoreErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostAsync("runtime/restore/error", ErrorContent(error), error.ErrorType, cancellationToken);

    /// <summary>Sends an invocation's response.</summary>
    public Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, null, cancellationToken);
    }

    /// <summary>Reports that an invocation failed.</summary>
    public Task PostErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", ErrorContent(error), error.ErrorType, cancellationToken);

    /// <summary>Reports, synchronously, that the function failed before it could serve invocations.</summary>
    public void PostInitError(LambdaError error)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "runtime/init/error") { Content = ErrorContent(error) };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = _http.Send(request, cancel.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new RuntimeApiException("POST /runtime/init/error", response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();

    private static ByteArrayContent ErrorContent(LambdaError error)
    {
        var content = new ByteArrayContent(error.ToJson());
        content.Headers.ContentType = new MediaTypeHeaderValue(LambdaError.MediaType);
        return content;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private async Task PostAsync(string path, HttpContent content, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RuntimeApiException("POST /" + path, response.StatusCode);
        }
    }
}
