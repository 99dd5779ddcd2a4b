#if (model == "isolated")
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endif
using SessionsServerless;

namespace SessionsApp;

/// <summary>
/// Keeps development keys out of production. Outside the Development environment the app refuses to start with a key
/// marked as a development key (appsettings.Development.json has one; that file is never published) or without a key,
/// and the error says how to set one.
/// </summary>
internal static class EncryptionKeyRules
{
    /// <summary>Marks a key as a development key; the key in appsettings.Development.json starts with it.</summary>
    public const string DevelopmentKeyMarker = "DEVELOPMENT-ONLY";

    private const string HowToSetAKey =
        "Set the environment variable Sessions__EncryptionKey to a random secret of at least 32 characters (for example " +
#if (host == "lambda")
        "the output of `openssl rand -base64 48`). On Lambda, template.yaml keeps it in a Secrets Manager secret and sets " +
        "Sessions__SecretsManager__SecretId to that secret's ARN; the app reads the key at startup.";
#elseif (model == "isolated")
        "the output of `openssl rand -base64 48`); for `func start` local.settings.json has a development key. In Azure, " +
        "infra/main.bicep keeps it in Key Vault and sets the app setting Sessions__EncryptionKey to a Key Vault reference: " +
        "deploy once with the key in SESSIONS_ENCRYPTION_KEY.";
#else
        "the output of `openssl rand -base64 48`). In Azure, infra/main.bicep keeps it in Key Vault and sets the app setting " +
        "Sessions__EncryptionKey to a Key Vault reference: deploy once with the key in SESSIONS_ENCRYPTION_KEY.";
#endif

    /// <summary>Adds the checks; they run when the app starts, before it serves anything.</summary>
    public static void Apply(IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            return;
        }

        var options = builder.Services.AddOptions<SessionsOptions>();
#if (serverStore)
        // The cookie store requires a key by itself; a server store would otherwise put the bare session id in the cookie.
        options.Validate(
            o => !string.IsNullOrEmpty(o.EncryptionKey),
            "Sessions:EncryptionKey is not set; the app seals the session id in its cookie with it. " + HowToSetAKey);
#endif
        options.Validate(
            o => o.EncryptionKey?.Contains(DevelopmentKeyMarker, StringComparison.Ordinal) != true,
            "Sessions:EncryptionKey is a development key, which is not a secret. " + HowToSetAKey);
    }
}
