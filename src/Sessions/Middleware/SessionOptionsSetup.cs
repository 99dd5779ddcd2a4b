using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>Resolves <see cref="SessionsOptions.UseEncryptionKey"/>'s function once, when the options are built.</summary>
internal sealed class SessionOptionsSetup : IPostConfigureOptions<SessionsOptions>
{
    public void PostConfigure(string? name, SessionsOptions options)
    {
        if (options.GetEncryptionKeyProvider() is { } provider)
        {
            options.EncryptionKey = provider();
        }
    }
}
