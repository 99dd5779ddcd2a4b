using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// AddSessionKeysFromSecretsManager: the session keys come from the secret that template.yaml names, read at startup
/// through the AWS Parameters and Secrets Lambda Extension (a stand-in on a loopback port here), never from a plaintext
/// environment variable.
/// </summary>
public sealed class SecretsManagerKeysTests : IAsyncLifetime
{
    private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sessions-key-AbCdEf";
    private const string CurrentKey = "current-key-from-secrets-manager-0123456789";
    private const string PreviousKey = "previous-key-from-secrets-manager-0123456789";

    private SecretsExtensionStandIn _extension = null!;

    public async Task InitializeAsync() => _extension = await SecretsExtensionStandIn.StartAsync();

    public async Task DisposeAsync() => await _extension.DisposeAsync();

    [Fact]
    public void The_current_version_is_the_key_and_the_previous_version_is_still_accepted()
    {
        _extension.Secrets[(SecretArn, "AWSCURRENT")] = CurrentKey;
        _extension.Secrets[(SecretArn, "AWSPREVIOUS")] = PreviousKey;
        var configuration = LambdaConfiguration(new() { ["Sessions:PreviousEncryptionKeys:0"] = "an-older-key-from-configuration-0123456789" });

        configuration.AddSessionKeysFromSecretsManager();

        var options = SessionsOptionsOf(configuration);
        Assert.Equal(CurrentKey, options.EncryptionKey);
        Assert.Equal(["an-older-key-from-configuration-0123456789", PreviousKey], options.PreviousEncryptionKeys);
        Assert.Equal(
            [
                $"/secretsmanager/get?secretId={Uri.EscapeDataString(SecretArn)}&versionStage=AWSCURRENT",
                $"/secretsmanager/get?secretId={Uri.EscapeDataString(SecretArn)}&versionStage=AWSPREVIOUS",
            ],
            _extension.Requests);
    }

    [Fact]
    public void Before_the_first_rotation_there_is_only_the_current_key()
    {
        _extension.Secrets[(SecretArn, "AWSCURRENT")] = CurrentKey;
        var configuration = LambdaConfiguration();

        configuration.AddSessionKeysFromSecretsManager();

        var options = SessionsOptionsOf(configuration);
        Assert.Equal(CurrentKey, options.EncryptionKey);
        Assert.Empty(options.PreviousEncryptionKeys);
    }

    [Fact]
    public void The_secret_overrides_a_key_in_the_configuration()
    {
        _extension.Secrets[(SecretArn, "AWSCURRENT")] = CurrentKey;
        var configuration = LambdaConfiguration(new() { ["Sessions:EncryptionKey"] = "a-key-from-an-environment-variable-0123456789" });

        configuration.AddSessionKeysFromSecretsManager();

        Assert.Equal(CurrentKey, SessionsOptionsOf(configuration).EncryptionKey);
    }

    [Fact]
    public void Without_a_secret_id_nothing_is_read_and_the_configured_key_stays()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:EncryptionKey"] = "a-key-for-dotnet-run-0123456789abcdef",
            ["AWS_SESSION_TOKEN"] = SecretsExtensionStandIn.Token,
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = _extension.Port.ToString(CultureInfo.InvariantCulture),
        });

        configuration.AddSessionKeysFromSecretsManager();

        Assert.Equal("a-key-for-dotnet-run-0123456789abcdef", SessionsOptionsOf(configuration).EncryptionKey);
        Assert.Empty(_extension.Requests);
    }

    [Fact]
    public void A_refused_read_stops_the_app_and_says_which_permission_is_missing()
    {
        _extension.Failure = (HttpStatusCode.BadRequest, "AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue");
        var configuration = LambdaConfiguration();

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSessionKeysFromSecretsManager());

        Assert.Contains(SecretArn, failure.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 400", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", failure.Message, StringComparison.Ordinal);
        Assert.Contains("secretsmanager:GetSecretValue", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_current_version_is_an_error_not_an_app_without_a_key()
    {
        var configuration = LambdaConfiguration();

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSessionKeysFromSecretsManager());

        Assert.Contains("ResourceNotFoundException", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AWSCURRENT", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_session_token_is_refused_by_the_extension()
    {
        _extension.Secrets[(SecretArn, "AWSCURRENT")] = CurrentKey;
        var configuration = LambdaConfiguration(new() { ["AWS_SESSION_TOKEN"] = "another-token" });

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSessionKeysFromSecretsManager());

        Assert.Contains("HTTP 401", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(CurrentKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_secret_is_refused_without_repeating_it()
    {
        _extension.Failure = (HttpStatusCode.OK, """{"ARN":"x","SecretBinary":"c2VjcmV0LWJ5dGVzLXRoYXQtbXVzdC1ub3QtbGVhaw=="}""");
        var configuration = LambdaConfiguration();

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSessionKeysFromSecretsManager());

        Assert.Contains("has no SecretString", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Lambda_a_secret_id_without_a_session_token_says_what_to_set_instead()
    {
        var configuration = LambdaConfiguration(new() { ["AWS_SESSION_TOKEN"] = null });

        var failure = Assert.Throws<InvalidOperationException>(() => configuration.AddSessionKeysFromSecretsManager());

        Assert.Contains("AWS_SESSION_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:EncryptionKey", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_extension.Requests);
    }

    [Fact]
    public async Task The_LoginDemo_the_root_template_deploys_seals_its_cookies_with_the_key_from_the_secret()
    {
        _extension.Secrets[(SecretArn, "AWSCURRENT")] = CurrentKey;
        _extension.Secrets[(SecretArn, "AWSPREVIOUS")] = PreviousKey;

        // What template.yaml sets (Sessions__SecretsManager__SecretId) and what Lambda sets, as configuration.
        await using var app = LoginDemo.LoginDemoApp.Build(
        [
            $"--Sessions:SecretsManager:SecretId={SecretArn}",
            $"--AWS_SESSION_TOKEN={SecretsExtensionStandIn.Token}",
            $"--PARAMETERS_SECRETS_EXTENSION_HTTP_PORT={_extension.Port}",
            "--environment=Production",
        ]);

        var options = app.Services.GetRequiredService<IOptions<SessionsOptions>>().Value;
        Assert.Equal(CurrentKey, options.EncryptionKey);
        Assert.Equal([PreviousKey], options.PreviousEncryptionKeys);
    }

    private ConfigurationManager LambdaConfiguration(Dictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sessions:SecretsManager:SecretId"] = SecretArn,
            ["AWS_SESSION_TOKEN"] = SecretsExtensionStandIn.Token,
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = _extension.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values);
        return configuration;
    }

    private static SessionsOptions SessionsOptionsOf(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSessions(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SessionsOptions>>().Value;
    }
}
