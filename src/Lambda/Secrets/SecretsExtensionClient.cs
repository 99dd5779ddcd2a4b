using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SessionsServerless.Lambda;

/// <summary>
/// Reads secrets from the AWS Parameters and Secrets Lambda Extension, the AWS-managed layer that serves Secrets Manager
/// on <c>http://localhost:2773</c> inside the function's sandbox (the port is <c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c>
/// when set). The extension signs the Secrets Manager call with the function's own credentials; a request proves it comes
/// from inside the sandbox with the <c>X-Aws-Parameters-Secrets-Token</c> header, the function's <c>AWS_SESSION_TOKEN</c>.
/// </summary>
internal sealed class SecretsExtensionClient
{
    /// <summary>The port the extension listens on unless <c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c> says otherwise.</summary>
    public const int DefaultPort = 2773;

    private const string TokenHeader = "X-Aws-Parameters-Secrets-Token";

    // The extension starts with the sandbox; during the first moments of init it may not listen yet.
    private const int ConnectAttempts = 20;
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Uri _baseAddress;
    private readonly string _sessionToken;

    public SecretsExtensionClient(int port, string sessionToken)
    {
        _baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}/"));
        _sessionToken = sessionToken;
    }

    /// <summary>
    /// The <c>SecretString</c> of one version stage of a secret, or <see langword="null"/> when the secret has no version
    /// in that stage (for example no <c>AWSPREVIOUS</c> before the first rotation) and <paramref name="required"/> is
    /// <see langword="false"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The extension cannot be reached or refused the request.</exception>
    public string? GetSecretString(string secretId, string versionStage, bool required)
    {
        var uri = new Uri(_baseAddress, $"secretsmanager/get?secretId={Uri.EscapeDataString(secretId)}&versionStage={Uri.EscapeDataString(versionStage)}");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation(TokenHeader, _sessionToken);
            HttpResponseMessage response;
            try
            {
                response = client.Send(request);
            }
            catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && attempt < ConnectAttempts)
            {
                Thread.Sleep(ConnectRetryDelay);
                continue;
            }
            catch (HttpRequestException exception)
            {
                throw new InvalidOperationException(
                    $"The AWS Parameters and Secrets Lambda Extension does not answer at {_baseAddress}; add its layer to the function (template.yaml: SecretsExtensionLayerArn). {exception.Message}",
                    exception);
            }

            using (response)
            {
                string body = ReadBody(response);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return ParseSecretString(body, secretId, versionStage);
                }

                if (!required && IsNotFound(response.StatusCode, body))
                {
                    return null;
                }

                throw new InvalidOperationException(
                    $"Reading the secret '{secretId}' ({versionStage}) through the AWS Parameters and Secrets Lambda Extension failed with HTTP {(int)response.StatusCode}: {Shorten(body)} " +
                    "The function's role needs secretsmanager:GetSecretValue on that secret (and kms:Decrypt on its key when it is a customer managed key).");
            }
        }
    }

    private static string ReadBody(HttpResponseMessage response)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }

    private static bool IsNotFound(HttpStatusCode status, string body) =>
        status == HttpStatusCode.NotFound
        || (status == HttpStatusCode.BadRequest && body.Contains("ResourceNotFoundException", StringComparison.Ordinal));

    private static string ParseSecretString(string body, string secretId, string versionStage)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("SecretString", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Reported below, without the body: it may hold the secret.
        }

        throw new InvalidOperationException(
            $"The secret '{secretId}' ({versionStage}) has no SecretString; store the key as the secret's plain text value (not as binary).");
    }

    // An error body names the error (AccessDeniedException, ...) and never carries a secret value.
    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "...";
}
