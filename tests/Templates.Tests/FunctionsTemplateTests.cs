using System.Net;
using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;
using SessionsServerless.Templates.Tests.Support;

namespace SessionsServerless.Templates.Tests;

/// <summary>
/// sessions-functions: the generated Bicep compiles and lints clean and follows the store option, <c>dotnet publish</c>
/// turns the generated app into a function app folder, and that folder runs under the Functions host harness of
/// tests/AzureFunctions.Tests.
/// </summary>
[Collection(GeneratedProjectsCollection.Name)]
public sealed class FunctionsTemplateTests
{
    private readonly TemplateWorkspace _workspace;

    public FunctionsTemplateTests(TemplateWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<string> Variants => TemplateVariant.Ids(v => !v.IsLambda);

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_Bicep_compiles_and_lints_clean_and_follows_the_store_option(string id)
    {
        var project = await _workspace.ProjectAsync(id);
        Assert.True(project.Creation.Succeeded, project.Creation.ToString());
        string compiled = Path.Combine(project.Directory, "main.json");

        var template = await BicepCli.CheckAsync(project.PathOf("infra", "main.bicep"), compiled, new Dictionary<string, string?> { ["SESSIONS_ENCRYPTION_KEY"] = null });
        var parameters = await BicepCli.CheckAsync(project.PathOf("infra", "main.bicepparam"), Path.Combine(project.Directory, "main.parameters.json"), new Dictionary<string, string?> { ["SESSIONS_ENCRYPTION_KEY"] = null });

        Assert.True(template.Passed, template.ToString());
        Assert.True(parameters.Passed, parameters.ToString());
        string json = await File.ReadAllTextAsync(compiled);
        var resources = JsonNode.Parse(json)!["resources"]!.AsArray();
        var settings = resources.Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Web/sites")!["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.GetValue<string>());
        var roles = resources.Where(r => r!["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments").ToList();
        bool table = project.Variant.Store == "table";

        Assert.Equal(project.Variant.Store, settings["Sessions__Store"]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings["Sessions__EncryptionKey"], StringComparison.Ordinal);
        Assert.Equal(table, settings.ContainsKey("Sessions__AzureTables__Endpoint"));
        Assert.Equal(table, settings.ContainsKey("Sessions__AzureTables__TableName"));
        Assert.Equal(table, resources.Any(r => r!["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.Equal(table ? 4 : 3, roles.Count);
        Assert.All(roles, r => Assert.Equal("ServicePrincipal", r!["properties"]!["principalType"]!.GetValue<string>()));
        Assert.DoesNotContain("listKeys", json, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", json, StringComparison.Ordinal);
        Assert.Equal("securestring", JsonNode.Parse(json)!["parameters"]!["sessionsEncryptionKey"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Publish_writes_a_function_app_folder_without_the_development_key(string id)
    {
        var publish = await _workspace.PublishAsync(id);
        var variant = TemplateVariant.Get(id);
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        Assert.Empty(publish.Warnings);

        var description = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(publish.Directory, "host.json")))!["customHandler"]!["description"]!;
        Assert.Equal("dotnet", description["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal(variant.Name + ".dll", Assert.Single(description["arguments"]!.AsArray())!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(publish.Directory, variant.Name + ".dll")));
        Assert.True(File.Exists(Path.Combine(publish.Directory, "HttpForwarder", "function.json")));
        // The timer only where there is something to purge: the cookie store keeps nothing on the server.
        Assert.Equal(variant.Store == "table", File.Exists(Path.Combine(publish.Directory, "PurgeExpiredSessions", "function.json")));
        Assert.True(File.Exists(Path.Combine(publish.Directory, "appsettings.json")));
        Assert.False(File.Exists(Path.Combine(publish.Directory, "appsettings.Development.json")), "The development key was published.");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_published_app_serves_sessions_under_the_Functions_host_behind_HTTPS(string id)
    {
        var publish = await _workspace.PublishAsync(id);
        var variant = TemplateVariant.Get(id);
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        var settings = new Dictionary<string, string> { ["Sessions__EncryptionKey"] = TemplateWorkspace.TestKey };
        if (variant.Store == "table")
        {
            settings["Sessions__Store"] = "memory";
        }

        await using var handler = await CustomHandlerProcess.StartAsync(publish.Directory, settings);
        var browser = new PublicBrowser(handler.Host, new Uri("https://sessions-app.azurewebsites.net/"), RequestOrigin.Azure);

        foreach (int expected in new[] { 1, 2 })
        {
            using var response = await browser.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["visits"]!.GetValue<int>());
        }

        Assert.Contains(browser.LastSetCookies, c => c.StartsWith("session=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        if (variant.Store == "table")
        {
            using var timer = await handler.Host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions"));
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
            Assert.NotNull(JsonNode.Parse(await timer.Content.ReadAsStringAsync())!["Outputs"]!["purged"]);
        }
    }

    [Fact]
    public async Task Without_a_key_the_published_app_stops_at_startup_and_says_how_to_set_one()
    {
        var publish = await _workspace.PublishAsync("functions-table");
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CustomHandlerProcess.StartAsync(publish.Directory, new Dictionary<string, string> { ["Sessions__Store"] = "memory" }));

        Assert.Contains("exited with code", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:EncryptionKey is not set", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault", failure.Message, StringComparison.Ordinal);
    }
}
