using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>A misconfiguration under the Functions host stops the app at startup with a message that says how to fix it.</summary>
[Collection(PublishedDemoCollection.Name)]
public sealed class StartupValidationTests
{
    private const string UnresolvedReference = "@Microsoft.KeyVault(SecretUri=https://kv-sessions.vault.azure.net/secrets/sessions-encryption-key/)";
    private readonly PublishedDemo _demo;

    public StartupValidationTests(PublishedDemo demo)
    {
        _demo = demo;
    }

    [Fact]
    public async Task An_unresolved_Key_Vault_reference_stops_the_published_app_before_it_serves()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _demo.StartAsync(new Dictionary<string, string>
        {
            ["Sessions__Store"] = "memory",
            ["Sessions__EncryptionKey"] = UnresolvedReference,
        }));

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains("The app setting 'Sessions__EncryptionKey' is an unresolved Key Vault reference", error.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-sessions.vault.azure.net", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-port")]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task A_port_that_is_not_a_port_says_what_the_variable_is_for(string port)
    {
        // Kestrel reads its options while the app is built, so the failure may come from Build or from StartAsync.
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = InProcessHandler.Build(port, _ => { });
            await app.StartAsync();
        });

        Assert.Contains($"FUNCTIONS_CUSTOMHANDLER_PORT is '{port}', which is not a TCP port number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_time_limit_beyond_the_host_timeout_is_refused()
    {
        await using var app = InProcessHandler.Build("7071", _ => { }, configureHosting: options => options.PurgeTimeLimit = TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("PurgeTimeLimit", error.Message, StringComparison.Ordinal);
    }
}
