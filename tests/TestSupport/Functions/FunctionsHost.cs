using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionsServerless.TestSupport;

/// <summary>
/// Plays the Azure Functions host in front of a custom handler listening on 127.0.0.1:<see cref="Port"/>, as the host's
/// DefaultHttpWorkerService does with <c>enableForwardingHttpRequest</c>: a public request is first routed to an HTTP
/// function (when the host was given the app's <see cref="FunctionsRouteTable"/>; none taking it is the host's 404), then
/// rebuilt for
/// <c>http://127.0.0.1:{port}{path}</c> with the query rebuilt from its parsed form (repeated keys joined with commas), every
/// header copied (Host included), the body copied only when Content-Length is positive, and X-Azure-Functions-HostVersion,
/// X-Azure-Functions-InvocationId and a User-Agent product added; a non-HTTP trigger is a POST of the invocation payload to
/// <c>/{functionName}</c>. Responses come back unchanged.
/// </summary>
public sealed class FunctionsHost : IDisposable
{
    public const string HostVersion = "4.1041.200";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(100),
    };

    /// <param name="port">The custom handler's port.</param>
    /// <param name="routes">
    /// The app's HTTP functions (from its published function.json files): a public request none of them accepts gets the
    /// host's 404 without reaching the app. Without it every request is forwarded.
    /// </param>
    public FunctionsHost(int port, FunctionsRouteTable? routes = null)
    {
        Port = port;
        Routes = routes;
    }

    /// <summary>How the host routes public requests to the app's HTTP functions, when it was given them.</summary>
    public FunctionsRouteTable? Routes { get; }

    public int Port { get; }

    public Uri HandlerAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>A TCP port nobody listens on right now (the host picks the custom handler's port the same way).</summary>
    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends a public request (absolute URL) to the custom handler the way it reaches it in Azure or under func start.</summary>
    public async Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage publicRequest, RequestOrigin origin)
    {
        var publicUrl = publicRequest.RequestUri ?? throw new ArgumentException("The public request needs an absolute URL.", nameof(publicRequest));
        if (Routes is not null && Routes.Find(publicRequest.Method.Method, KestrelDecodedPath(publicUrl)) is null)
        {
            // No HTTP function's route takes it: the host answers 404 itself and the app never sees the request.
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = publicRequest };
        }

        // What reaches the host: the client's headers, plus the front end's in Azure.
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in publicRequest.Headers)
        {
            headers.AddRange(header.Value.Select(value => KeyValuePair.Create(header.Key, value)));
        }

        headers.RemoveAll(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase));
        headers.Add(KeyValuePair.Create("Host", publicUrl.Authority));
        if (origin.ThroughAppServiceFrontEnd)
        {
            string client = new IPEndPoint(origin.ClientAddress, 51234).ToString();
            string? forwardedFor = headers.LastOrDefault(h => h.Key.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase)).Value;
            Replace(headers, "X-Forwarded-For", forwardedFor is null ? client : forwardedFor + ", " + client);
            Replace(headers, "X-Forwarded-Proto", publicUrl.Scheme);
            Replace(headers, "X-Original-URL", publicUrl.PathAndQuery);
            Replace(headers, "X-ARR-LogID", Guid.NewGuid().ToString());
            if (publicUrl.Scheme == Uri.UriSchemeHttps)
            {
                Replace(headers, "X-ARR-SSL", "2048|256|CN=Microsoft Azure RSA TLS Issuing CA 03|CN=*.azurewebsites.net");
            }
            else
            {
                headers.RemoveAll(h => h.Key.Equals("X-ARR-SSL", StringComparison.OrdinalIgnoreCase));
            }
        }

        // What the host sends on: path, query rebuilt from its parsed form, all headers, the body if it has a length.
        var query = QueryHelpers.ParseQuery(publicUrl.Query).ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString());
        // UriBuilder(scheme, host, port, path), as the host builds it: a path starting "//" stays a path.
        string target = QueryHelpers.AddQueryString(new UriBuilder(Uri.UriSchemeHttp, "127.0.0.1", Port, publicUrl.AbsolutePath).ToString(), query);
        using var forwarded = new HttpRequestMessage(publicRequest.Method, target);
        foreach (var (name, value) in headers)
        {
            forwarded.Headers.TryAddWithoutValidation(name, value);
        }

        if (publicRequest.Content is { } content)
        {
            byte[] body = await content.ReadAsByteArrayAsync();
            if (body.Length > 0)
            {
                forwarded.Content = new ByteArrayContent(body);
                forwarded.Content.Headers.ContentLength = body.Length;
                if (content.Headers.ContentType is { } contentType)
                {
                    forwarded.Content.Headers.ContentType = contentType;
                }
            }
        }

        AddHostHeaders(forwarded);
        return await _http.SendAsync(forwarded);
    }

    /// <summary>Invokes a non-HTTP function (a timer) the way the host does: POST /{functionName} with the invocation payload.</summary>
    public async Task<HttpResponseMessage> InvokeAsync(string functionName, string payload)
    {
        using var invocation = new HttpRequestMessage(HttpMethod.Post, new Uri(HandlerAddress, functionName))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        AddHostHeaders(invocation);
        return await _http.SendAsync(invocation);
    }

    /// <summary>The host's readiness check: GET / until any HTTP answer.</summary>
    public async Task WaitUntilReadyAsync(Func<string?> failure, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (failure() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            try
            {
                using var response = await _http.GetAsync(HandlerAddress);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }
        }
    }

    /// <summary>A timer trigger's invocation payload as the host builds it.</summary>
    public static string TimerPayload(string functionName) => $$"""
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": { "Last": "2030-01-01T11:55:00+00:00", "Next": "2030-01-01T12:05:00+00:00", "LastUpdated": "2030-01-01T11:55:00+00:00" },
              "IsPastDue": false
            }
          },
          "Metadata": {
            "sys": { "MethodName": "{{functionName}}", "UtcNow": "2030-01-01T12:00:00.0000000Z", "RandGuid": "{{Guid.NewGuid()}}" }
          }
        }
        """;

    public void Dispose() => _http.Dispose();

    /// <summary>The path as the host's Kestrel hands it to routing: percent-decoded except for an encoded '/'.</summary>
    private static string KestrelDecodedPath(Uri url)
    {
        const string EncodedSlash = "\u0000";
        string path = url.AbsolutePath.Replace("%2F", EncodedSlash, StringComparison.OrdinalIgnoreCase);
        return Uri.UnescapeDataString(path).Replace(EncodedSlash, "%2F", StringComparison.Ordinal);
    }

    private static void AddHostHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Azure-Functions-Host", HostVersion));
    }

    private static void Replace(List<KeyValuePair<string, string>> headers, string name, string value)
    {
        headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        headers.Add(KeyValuePair.Create(name, value));
    }
}
