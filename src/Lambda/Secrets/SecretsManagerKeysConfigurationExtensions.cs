using System.Globalization;
using SessionsServerless.Lambda;

namespace Microsoft.Extensions.Configuration;

/// <summary>Reads the session encryption keys from AWS Secrets Manager at startup, without the AWS SDK.</summary>
public static class SecretsManagerKeysConfigurationExtensions
{
    /// <summary>The configuration key that names the secret: <c>Sessions:SecretsManager:SecretId</c> (an ARN or a name).</summary>
    public const string SecretIdKey = "Sessions:SecretsManager:SecretId";

    private const string EncryptionKey = "Sessions:EncryptionKey";
    private const string PreviousEncryptionKeys = "Sessions:PreviousEncryptionKeys";

    /// <summary>
    /// When <c>Sessions:SecretsManager:SecretId</c> is set (template.yaml sets <c>Sessions__SecretsManager__SecretId</c> to
    /// the secret's ARN), reads that secret once, now, through the AWS Parameters and Secrets Lambda Extension (a layer of
    /// the function): its <c>AWSCURRENT</c> version becomes <c>Sessions:EncryptionKey</c> and its <c>AWSPREVIOUS</c>
    /// version, when there is one, is added to <c>Sessions:PreviousEncryptionKeys</c>. Rotating the secret
    /// (<c>aws secretsmanager put-secret-value</c>) thus keeps the cookies sealed with the old key readable; they are
    /// re-sealed with the new one. The key never sits in an environment variable. When the setting is absent (for
    /// example under <c>dotnet run</c>) nothing changes.
    /// </summary>
    /// <param name="configuration">The app's configuration (<c>builder.Configuration</c>), with the environment variables already added.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="InvalidOperationException">The secret is named but cannot be read; the message says why.</exception>
    public static IConfigurationManager AddSessionKeysFromSecretsManager(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? secretId = configuration[SecretIdKey];
        if (string.IsNullOrWhiteSpace(secretId))
        {
            return configuration;
        }

        string? token = configuration["AWS_SESSION_TOKEN"];
        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException(
                $"{SecretIdKey} is set, but AWS_SESSION_TOKEN is not: the secret is read through the AWS Parameters and Secrets Lambda Extension, which only runs on AWS Lambda. Outside Lambda, leave {SecretIdKey} unset and set Sessions:EncryptionKey.");
        }

        int port = int.TryParse(configuration["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"], NumberStyles.None, CultureInfo.InvariantCulture, out int configured)
            ? configured
            : SecretsExtensionClient.DefaultPort;
        var client = new SecretsExtensionClient(port, token);
        string current = client.GetSecretString(secretId, "AWSCURRENT", required: true)!;
        string? previous = client.GetSecretString(secretId, "AWSPREVIOUS", required: false);

        var values = new Dictionary<string, string?> { [EncryptionKey] = current };
        if (!string.IsNullOrEmpty(previous) && previous != current)
        {
            // After the previous keys the configuration already lists, so none of them is lost.
            int index = configuration.GetSection(PreviousEncryptionKeys).GetChildren().Count();
            values[string.Create(CultureInfo.InvariantCulture, $"{PreviousEncryptionKeys}:{index}")] = previous;
        }

        configuration.AddInMemoryCollection(values);
        return configuration;
    }
}
