using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>Resolves <see cref="SessionOptions.UseEncryptionKey"/>'s function once, when the options are built.</summary>
internal sealed class SessionOptionsSetup : IPostConfigureOptions<SessionOptions>
{
    public void PostConfigure(string? name, SessionOptions options)
    {
        if (options.GetEncryptionKeyProvider() is { } provider)
        {
            options.EncryptionKey = provider();
        }
    }
}
