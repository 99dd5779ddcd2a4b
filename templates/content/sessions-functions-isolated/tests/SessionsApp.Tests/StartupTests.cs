using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SessionsServerless;

namespace SessionsApp.Tests;

/// <summary>The encryption key: the development key of local.settings.json for `func start`, a real secret everywhere else.</summary>
public sealed class StartupTests
{
    [Fact]
    public void Outside_Development_the_app_refuses_to_start_without_a_key_and_says_how_to_set_one()
    {
        using var host = Build(key: null);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SessionsOptions>>().Value);

        Assert.Contains("Sessions__EncryptionKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_app_refuses_a_development_key()
    {
        const string DevelopmentKey = "DEVELOPMENT-ONLY-0123456789abcdefghijklmnopqrstuvwxyz";
        using var host = Build(DevelopmentKey);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SessionsOptions>>().Value);

        Assert.Contains("development key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_real_key_the_settings_are_accepted()
    {
        using var host = Build(FunctionsTestApp.TestKey);

        Assert.Equal(FunctionsTestApp.TestKey, host.Services.GetRequiredService<IOptions<SessionsOptions>>().Value.EncryptionKey);
    }

    /// <summary>The worker as Azure starts it (the Production environment), built but not started: no Functions host needed.</summary>
    private static IHost Build(string? key)
    {
        var builder = App.CreateBuilder([]);
        Assert.False(builder.Environment.IsDevelopment());
        builder.Configuration["Sessions:EncryptionKey"] = key ?? string.Empty;
        return builder.Build();
    }
}
