using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Middleware;

/// <summary>Configuration binding and the startup checks that say how to fix a misconfiguration.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Options_bind_from_the_Sessions_section_as_environment_variables_set_them()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sessions:Store"] = "memory",
                ["Sessions:EncryptionKey"] = SessionTestApp.Key,
                ["Sessions:PreviousEncryptionKeys:0"] = "an_older_key_that_is_32_characters_long",
                ["Sessions:ExpireAfterSeconds"] = "900",
                ["Sessions:AbsoluteLifetimeSeconds"] = "86400",
                ["Sessions:AutoExtendExpiration"] = "false",
                ["Sessions:RenewalThreshold"] = "0.25",
                ["Sessions:Cookie:Name"] = "__Secure-app",
                ["Sessions:Cookie:SecurePolicy"] = "Always",
                ["Sessions:Cookie:SameSite"] = "Strict",
                ["Sessions:Cookie:MaxAge"] = "01:00:00",
                ["Sessions:Memory:Capacity"] = "1000",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSessions(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SessionsOptions>>().Value;

        Assert.Equal("memory", options.Store);
        Assert.Equal(SessionTestApp.Key, options.EncryptionKey);
        Assert.Equal(["an_older_key_that_is_32_characters_long"], options.PreviousEncryptionKeys);
        Assert.Equal(TimeSpan.FromMinutes(15), options.ExpireAfter);
        Assert.Equal(TimeSpan.FromDays(1), options.AbsoluteLifetime);
        Assert.False(options.AutoExtendExpiration);
        Assert.Equal(0.25, options.RenewalThreshold);
        Assert.Equal("__Secure-app", options.Cookie.Name);
        Assert.Equal(CookieSecurePolicy.Always, options.Cookie.SecurePolicy);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.Equal(TimeSpan.FromHours(1), options.Cookie.MaxAge);
        Assert.Equal(1000, provider.GetRequiredService<IOptions<MemoryStoreOptions>>().Value.Capacity);
    }

    [Fact]
    public void A_key_function_is_called_once()
    {
        int calls = 0;
        var services = new ServiceCollection();
        services.AddSessions(options => options.UseEncryptionKey(() =>
        {
            calls++;
            return SessionTestApp.Key;
        }));
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<IOptions<SessionsOptions>>();
        Assert.Equal(SessionTestApp.Key, monitor.Value.EncryptionKey);
        Assert.Equal(SessionTestApp.Key, monitor.Value.EncryptionKey);
        Assert.Equal(1, calls);
    }

    public static TheoryData<string, Action<SessionsOptions>> Misconfigurations => new()
    {
        { "Sessions:EncryptionKey is not set", options => options.EncryptionKey = null },
        { "Sessions:EncryptionKey is 31 characters long; at least 32 are required", options => options.EncryptionKey = new string('k', 31) },
        { "Sessions:PreviousEncryptionKeys:0 is 5 characters long", options => options.PreviousEncryptionKeys.Add("short") },
        { "no store of that name is registered", options => options.Store = "redis" },
        { "Sessions:ExpireAfterSeconds must be positive", options => options.ExpireAfterSeconds = -1 },
        { "Sessions:AbsoluteLifetimeSeconds must be positive", options => options.AbsoluteLifetime = TimeSpan.FromSeconds(-1) },
        { "Sessions:RenewalThreshold must be between 0", options => options.RenewalThreshold = 1.5 },
        { "A __Host- cookie must be Secure", options => options.Cookie.Name = "__Host-session" },
        { "A __Host- cookie must have Path=/", options => { options.Cookie.Name = "__Host-s"; options.Cookie.SecurePolicy = CookieSecurePolicy.Always; options.Cookie.Path = "/app"; } },
        { "A __Host- cookie cannot have a Domain", options => { options.Cookie.Name = "__Host-s"; options.Cookie.SecurePolicy = CookieSecurePolicy.Always; options.Cookie.Domain = "example.com"; } },
        { "A __Secure- cookie must be Secure", options => options.Cookie.Name = "__Secure-session" },
        { "SameSite=None cookies that are not Secure", options => options.Cookie.SameSite = SameSiteMode.None },
        { "A Partitioned (CHIPS) cookie must be Secure", options => options.Cookie.Partitioned = true },
        { "Sessions:Cookie:Name must be a non-empty cookie name", options => options.Cookie.Name = "bad name;" },
        { "Sessions:Cookie:Path must start with '/'", options => options.Cookie.Path = "app" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task A_misconfiguration_stops_the_app_at_startup_with_a_message_that_says_how_to_fix_it(string expected, Action<SessionsOptions> misconfigure)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionTestApp.StartAsync(misconfigure));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_startup_message_never_repeats_the_key()
    {
        const string ShortKey = "secret-but-short";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SessionTestApp.StartAsync(options => options.EncryptionKey = ShortKey));

        Assert.DoesNotContain(ShortKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_store_works_without_a_key()
    {
        await using var app = await SessionTestApp.StartAsync(options =>
        {
            options.EncryptionKey = null;
            options.Store = "Memory";
        });
        using var client = app.CreateClient();

        Assert.Equal("1", await client.GetStringAsync("/count"));
    }

    [Fact]
    public void UseSessions_without_AddSessions_says_what_to_add()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseSessions());

        Assert.Contains("AddSessions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSession_without_the_middleware_says_what_to_add()
    {
        await using var app = await KestrelApp.StartAsync(
            builder => builder.Services.AddSessions(options => options.EncryptionKey = SessionTestApp.Key),
            web => web.MapGet("/", (HttpContext context) =>
            {
                try
                {
                    context.GetSession();
                    return "found";
                }
                catch (InvalidOperationException error)
                {
                    return error.Message;
                }
            }));
        using var client = app.CreateClient();

        Assert.Contains("app.UseSessions()", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
