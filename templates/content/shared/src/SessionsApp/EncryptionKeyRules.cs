#if (model == "isolated")
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endif
using SessionsServerless;

namespace SessionsApp;

/// <summary>
/// Keeps development keys out of production. SessionsServerless itself refuses, at startup, a key that is too short or
/// obviously weak, and outside the Development environment a key marked DEVELOPMENT-ONLY (appsettings.Development.json
/// has one; that file is never published); the cookie store also refuses to start without a key. This adds what the app
/// needs on top, and every message says how to set a key.
/// </summary>
internal static class EncryptionKeyRules
{
#if (serverStore)
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

#endif
    /// <summary>Adds the checks; they run when the app starts, before it serves anything.</summary>
    public static void Apply(IHostApplicationBuilder builder)
    {
#if (serverStore)
        if (builder.Environment.IsDevelopment())
        {
            return;
        }

        // The cookie store requires a key by itself; a server store would otherwise put the bare session id in the cookie.
        builder.Services.AddOptions<SessionsOptions>().Validate(
            o => !string.IsNullOrEmpty(o.EncryptionKey),
            "Sessions:EncryptionKey is not set; the app seals the session id in its cookie with it. " + HowToSetAKey);
#else
        // The cookie store refuses to start without a key, and the library refuses a development key outside Development.
        ArgumentNullException.ThrowIfNull(builder);
#endif
    }
}
