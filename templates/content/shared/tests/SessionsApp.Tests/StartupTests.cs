using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SessionsApp.Tests;

/// <summary>The encryption key: a development key for `dotnet run`, a real secret everywhere else.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Outside_Development_the_app_refuses_to_start_without_a_key_and_says_how_to_set_one()
    {
        await using var app = TestApp.Build("--environment=Production", "--Sessions:EncryptionKey=");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Sessions__EncryptionKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_the_app_refuses_the_development_key()
    {
        await using var app = TestApp.Build("--environment=Production", $"--Sessions:EncryptionKey={DevelopmentKey()}");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("development key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKey(), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_app_starts_with_the_key_from_appsettings_Development_json()
    {
        await using var app = TestApp.Build("--environment=Development");

        await app.StartAsync();

        await app.StopAsync();
    }

    private static string DevelopmentKey()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json")));
        return settings.RootElement.GetProperty("Sessions").GetProperty("EncryptionKey").GetString()!;
    }
}
