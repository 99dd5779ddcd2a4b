using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SessionsServerless.AzureFunctions.Worker.Tests;

/// <summary>builder.UseSessions() says what is missing when the app is set up in the wrong order.</summary>
public sealed class UseSessionsTests
{
    [Fact]
    public void Without_AddSessions_UseSessions_says_what_to_add()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ConfigureFunctionsWebApplication();

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseSessions());

        Assert.Contains("builder.Services.AddSessions(builder.Configuration)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_ASP_NET_Core_integration_UseSessions_says_to_configure_it_first()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Services.AddSessions(builder.Configuration);

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseSessions());

        Assert.Contains("builder.ConfigureFunctionsWebApplication()", error.Message, StringComparison.Ordinal);
    }
}
