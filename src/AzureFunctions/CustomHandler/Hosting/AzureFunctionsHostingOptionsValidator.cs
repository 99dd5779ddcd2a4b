using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Checks at startup, under the Functions host, what would otherwise fail later or silently: a port that is not a
/// number, options out of range, and app settings that are still unresolved Key Vault references.
/// </summary>
/// <remarks>
/// When App Service cannot resolve a <c>@Microsoft.KeyVault(...)</c> reference (missing secret, missing role, wrong
/// vault) the app receives the reference text itself as the setting's value. For <c>Sessions__EncryptionKey</c> that
/// text is long enough to pass as a key, and it is public: it is in the template. So the app refuses to start instead.
/// Messages name settings, never values.
/// </remarks>
internal sealed class AzureFunctionsHostingOptionsValidator : IValidateOptions<AzureFunctionsHostingOptions>
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    private readonly IConfiguration _configuration;

    public AzureFunctionsHostingOptionsValidator(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    public ValidateOptionsResult Validate(string? name, AzureFunctionsHostingOptions options)
    {
        var failures = new List<string>();
        if (options.PurgeTimeLimit <= TimeSpan.Zero || options.PurgeTimeLimit >= TimeSpan.FromSeconds(100))
        {
            failures.Add("AzureFunctionsHostingOptions.PurgeTimeLimit must be more than zero and less than the host's 100-second invocation timeout.");
        }

        if (options.ForwardedHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("AzureFunctionsHostingOptions.ForwardedHosts cannot contain empty host names.");
        }

        if (CustomHandlerPort.IsSet(_configuration))
        {
            try
            {
                CustomHandlerPort.Read(_configuration);
            }
            catch (InvalidOperationException exception)
            {
                failures.Add(exception.Message);
            }

            foreach (var (key, value) in _configuration.AsEnumerable())
            {
                if (value is not null && value.TrimStart().StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add(
                        $"The app setting '{key.Replace(":", "__", StringComparison.Ordinal)}' is an unresolved Key Vault reference: the platform " +
                        "could not read the secret and passed the reference text instead. Check that the secret exists, that the function " +
                        "app's identity has the 'Key Vault Secrets User' role on it, and the reference status under the app's Environment " +
                        "variables in the Azure portal.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
