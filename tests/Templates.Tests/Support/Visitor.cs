using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionsServerless.Templates.Tests.Support;

/// <summary>
/// A browser for the sessions-functions isolated-worker app under the local Functions host: keeps the <c>session</c>
/// cookie the app sets (and drops it when the app expires it) and calls the template's functions.
/// </summary>
internal sealed class Visitor(Uri baseAddress)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(100),
    };

    private string? _cookie;

    /// <summary><c>GET /</c>: the visit count it answers.</summary>
    public async Task<int> VisitAsync() => (await SendAsync(HttpMethod.Get, "/", null))["visits"]!.GetValue<int>();

    /// <summary><c>POST /sign-in</c> with the name: the name the session then holds.</summary>
    public async Task<string> SignInAsync(string name) =>
        (await SendAsync(HttpMethod.Post, "sign-in", new JsonObject { ["name"] = name }))["name"]!.GetValue<string>();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (_cookie is not null)
        {
            request.Headers.Add("Cookie", _cookie);
        }

        using var response = await _client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.FirstOrDefault(c => c.StartsWith("session=", StringComparison.Ordinal)) is { } session)
        {
            string pair = session.Split(';')[0];
            _cookie = pair == "session=" || session.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) ? null : pair;
        }

        return JsonNode.Parse(text)!;
    }
}
