using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>
/// Checks the options at startup and says how to fix each problem. Never repeats a key's value.
/// </summary>
internal sealed class SessionOptionsValidator : IValidateOptions<SessionsOptions>
{
    private const string KeyAdvice =
        "Generate a random key (for example `openssl rand -base64 48`) and set it as Sessions:EncryptionKey: the environment " +
        "variable Sessions__EncryptionKey, a user secret in Development, or a secret reference (AWS Secrets Manager or SSM, " +
        "Azure Key Vault) in production.";

    private readonly IServiceProviderIsKeyedService? _keyedServices;
    private readonly bool _isDevelopment;
    private readonly string _environmentName;

    public SessionOptionsValidator(IServiceProvider services)
    {
        _keyedServices = services.GetService<IServiceProviderIsKeyedService>();

        // Without a host environment (a bare service provider) nothing says this is Development, so a development key is refused.
        var environment = services.GetService<IHostEnvironment>();
        _isDevelopment = environment?.IsDevelopment() == true;
        _environmentName = environment?.EnvironmentName ?? "unknown: no IHostEnvironment is registered";
    }

    public ValidateOptionsResult Validate(string? name, SessionsOptions options)
    {
        var failures = new List<string>();
        string store = SessionStoreNames.Normalize(options.Store ?? string.Empty);
        bool isCookieStore = store == SessionStoreNames.Cookie;

        if (string.IsNullOrEmpty(store))
        {
            failures.Add("Sessions:Store is empty. Set it to 'cookie' (the default), 'memory', or a store a package registered ('dynamodb', 'table').");
        }
        else if (!isCookieStore && _keyedServices?.IsKeyedService(typeof(ISessionStore), store) == false)
        {
            failures.Add(
                $"Sessions:Store is '{options.Store}', but no store of that name is registered. Use 'cookie' or 'memory', or register it: " +
                "AddSessions(...).AddDynamoDbStore() for 'dynamodb', .AddAzureTableStore() for 'table', .AddStore<MyStore>(\"name\") for your own.");
        }

        if (string.IsNullOrEmpty(options.EncryptionKey))
        {
            if (isCookieStore)
            {
                failures.Add("Sessions:EncryptionKey is not set. The cookie store seals every session with it. " + KeyAdvice);
            }
        }
        else
        {
            ValidateKey("Sessions:EncryptionKey", options.EncryptionKey, " " + KeyAdvice, failures);
        }

        for (int i = 0; i < options.PreviousEncryptionKeys.Count; i++)
        {
            if (!string.IsNullOrEmpty(options.PreviousEncryptionKeys[i]))
            {
                ValidateKey($"Sessions:PreviousEncryptionKeys:{i}", options.PreviousEncryptionKeys[i], string.Empty, failures);
            }
        }

        if (options.PreviousEncryptionKeys.Any(key => !string.IsNullOrEmpty(key)) && string.IsNullOrEmpty(options.EncryptionKey))
        {
            failures.Add("Sessions:PreviousEncryptionKeys is set but Sessions:EncryptionKey is not. Set the current key too.");
        }

        if (options.ExpireAfter is { } expireAfter && expireAfter <= TimeSpan.Zero)
        {
            failures.Add("Sessions:ExpireAfterSeconds must be positive (the default is 1200, 20 minutes); set it to 0 for sessions without an idle expiry.");
        }

        if (options.AbsoluteLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            failures.Add("Sessions:AbsoluteLifetimeSeconds must be positive; leave it unset for no absolute lifetime.");
        }

        if (options.RenewalThreshold is < 0 or > 1 || double.IsNaN(options.RenewalThreshold))
        {
            failures.Add("Sessions:RenewalThreshold must be between 0 (renew on every request) and 1; the default is 0.5.");
        }

        if (options.ConcurrencyRetries < 0)
        {
            failures.Add("Sessions:ConcurrencyRetries cannot be negative; the default is 3.");
        }

        ValidateCookie(options.Cookie, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>iron's length rule, then <see cref="SessionKeyRules"/>; the message names the setting, never the value.</summary>
    private void ValidateKey(string setting, string key, string advice, List<string> failures)
    {
        if (IronPasswordRules.Check(key) is { } problem)
        {
            failures.Add($"{setting} {problem}.{advice}");
        }
        else if (SessionKeyRules.CheckStrength(key) is { } weakness)
        {
            failures.Add($"{setting} is too weak: it {weakness}. " + KeyAdvice);
        }
        else if (!_isDevelopment && SessionKeyRules.IsDevelopmentKey(key))
        {
            failures.Add(
                $"{setting} is a development key (it carries the {SessionKeyRules.DevelopmentKeyMarker} marker), which is not a secret " +
                $"and is accepted only in the Development environment (this one is '{_environmentName}'). " + KeyAdvice);
        }
    }

    private static void ValidateCookie(SessionCookieOptions? cookie, List<string> failures)
    {
        if (cookie is null)
        {
            failures.Add("Sessions:Cookie cannot be null.");
            return;
        }

        if (string.IsNullOrEmpty(cookie.Name) || !cookie.Name.All(IsTokenChar))
        {
            failures.Add("Sessions:Cookie:Name must be a non-empty cookie name (letters, digits and !#$%&'*+-.^_`|~).");
        }

        if (string.IsNullOrEmpty(cookie.Path) || cookie.Path[0] != '/' || cookie.Path.Any(c => c is ';' or ',' || char.IsControl(c)))
        {
            failures.Add("Sessions:Cookie:Path must start with '/' and contain no ';', ',' or control characters.");
        }

        if (cookie.Domain is { Length: > 0 } domain && domain.Any(c => c is ';' or ',' or ' ' || char.IsControl(c)))
        {
            failures.Add("Sessions:Cookie:Domain contains characters a cookie domain cannot have.");
        }

        if (cookie.MaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
        {
            failures.Add("Sessions:Cookie:MaxAge must be positive; leave it unset for a cookie that ends with the browser session.");
        }

        bool alwaysSecure = cookie.SecurePolicy == CookieSecurePolicy.Always;
        if (cookie.Name?.StartsWith("__Host-", StringComparison.Ordinal) == true)
        {
            if (!alwaysSecure)
            {
                failures.Add("A __Host- cookie must be Secure: set Sessions:Cookie:SecurePolicy to Always.");
            }

            if (cookie.Path != "/")
            {
                failures.Add("A __Host- cookie must have Path=/: set Sessions:Cookie:Path to '/'.");
            }

            if (!string.IsNullOrEmpty(cookie.Domain))
            {
                failures.Add("A __Host- cookie cannot have a Domain: remove Sessions:Cookie:Domain.");
            }
        }
        else if (cookie.Name?.StartsWith("__Secure-", StringComparison.Ordinal) == true && !alwaysSecure)
        {
            failures.Add("A __Secure- cookie must be Secure: set Sessions:Cookie:SecurePolicy to Always.");
        }

        if (cookie.SameSite == SameSiteMode.None && !alwaysSecure)
        {
            failures.Add("Browsers refuse SameSite=None cookies that are not Secure: set Sessions:Cookie:SecurePolicy to Always, or use SameSite Lax or Strict.");
        }

        if (cookie.Partitioned && !alwaysSecure)
        {
            failures.Add("A Partitioned (CHIPS) cookie must be Secure: set Sessions:Cookie:SecurePolicy to Always.");
        }
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
