using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>What <c>AddLambdaHosting()</c> changes, and how a misconfiguration is told.</summary>
public sealed class LambdaHostingRegistrationTests
{
    [Fact]
    public async Task Without_AWS_LAMBDA_RUNTIME_API_the_app_keeps_serving_on_Kestrel()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddLambdaHosting();
        await using var app = builder.Build();
        app.MapGet("/", () => "kestrel");
        await app.StartAsync();

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        Assert.Equal("kestrel", await http.GetStringAsync(new Uri(address)));
        await app.StopAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001")]
    [InlineData("127.0.0.1:9001/2018-06-01")]
    [InlineData("not a host:port")]
    public void A_runtime_API_address_that_is_not_host_and_port_is_refused_with_how_to_fix_it(string value)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLambdaRuntime(value));
        Assert.Contains("is not a host:port address", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_deadline_margin_stops_the_app_at_startup_with_a_message()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            LambdaApp.StartAsync(runtime, _ => { }, options: options => options.DeadlineMargin = TimeSpan.FromSeconds(-1)));
        Assert.Contains("DeadlineMargin must not be negative", exception.Message, StringComparison.Ordinal);
    }
}
