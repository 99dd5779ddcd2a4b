using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>A managed identity stand-in: records the scopes it is asked for, and hands out a token or fails as told.</summary>
internal sealed class RecordingCredential(bool available = true) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (string scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }

        return available
            ? new AccessToken("not-a-real-token", DateTimeOffset.UtcNow.AddHours(1))
            : throw new CredentialUnavailableException("No managed identity endpoint was found.");
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
