using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
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

    public static TheoryData<string> Variants => TemplateVariant.Ids(v => v.IsCustomHandler);

    public static TheoryData<string> AllModels => TemplateVariant.Ids(v => v.IsCustomHandler || v.IsIsolated);

    [Theory]
    [MemberData(nameof(AllModels))]
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
        var root = JsonNode.Parse(json)!;
        // The deployment is infra/main.bicep with its modules: the resources sit in the modules' nested templates.
        var templates = NestedTemplates(root).ToList();
        var resources = templates.SelectMany(t => t["resources"]!.AsArray()).ToList();
        var settings = templates.Select(t => t["variables"]?["settings"]).Single(v => v is not null)!.AsArray()
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
        Assert.Equal("securestring", root["parameters"]!["sessionsEncryptionKey"]!["type"]!.GetValue<string>());
        Assert.Equal(table, root["parameters"]!.AsObject().ContainsKey("sessionsTableName"));
        // The deployment runs the model the template created the app for (--model).
        var values = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(project.Directory, "main.parameters.json")))!["parameters"]!;
        Assert.Equal(project.Variant.Model, values["functionsModel"]!["value"]!.GetValue<string>());
        Assert.Equal(project.Variant.Name, values["tags"]!["value"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_packed_Bicep_is_the_repository_infra_folder_with_its_markers_applied()
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(_workspace.TemplatePackage);
        string infra = Path.Combine(TestEnvironment.RepositoryRoot, "infra");
        var files = Directory.GetFiles(infra, "*.bicep*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(infra, f).Replace('\\', '/')).Order().ToList();
        var packed = package.Entries.Where(e => e.FullName.StartsWith("content/sessions-functions/infra/", StringComparison.Ordinal))
            .Select(e => e.FullName["content/sessions-functions/infra/".Length..]).Order().ToList();

        Assert.Equal(["main.bicep", "main.bicepparam", "modules/functionapp.bicep", "modules/keyvault.bicep", "modules/monitoring.bicep", "modules/roles.bicep", "modules/storage.bicep"], files);
        Assert.Equal(files, packed);
        foreach (string file in files)
        {
            using var reader = new StreamReader(package.GetEntry("content/sessions-functions/infra/" + file)!.Open());
            string text = await reader.ReadToEndAsync();
            Assert.Equal(LambdaTemplateTests.ApplyMarkers(await File.ReadAllTextAsync(Path.Combine(infra, file)), "//"), text);
            Assert.DoesNotContain("demo-only", text, StringComparison.Ordinal);
            Assert.DoesNotContain("//template:", text, StringComparison.Ordinal);
        }

        // One copy only: the template folder has no Bicep of its own to drift from.
        Assert.Empty(Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "templates", "content"), "*.bicep*", SearchOption.AllDirectories));
    }

    private static IEnumerable<JsonNode> NestedTemplates(JsonNode template)
    {
        yield return template;
        foreach (var resource in template["resources"]!.AsArray())
        {
            if (resource!["properties"]?["template"] is { } nested)
            {
                foreach (var inner in NestedTemplates(nested))
                {
                    yield return inner;
                }
            }
        }
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

    [Fact]
    public async Task With_the_cookie_store_the_published_app_serves_sessions_under_the_Functions_host_behind_HTTPS()
    {
        var publish = await _workspace.PublishAsync("functions-cookie");
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        var settings = new Dictionary<string, string> { ["Sessions__EncryptionKey"] = TemplateWorkspace.TestKey };

        await using var handler = await CustomHandlerProcess.StartAsync(publish.Directory, settings);
        var browser = new PublicBrowser(handler.Host, new Uri("https://sessions-app.azurewebsites.net/"), RequestOrigin.Azure);

        Assert.Equal(1, await VisitAsync(browser));
        Assert.Equal(2, await VisitAsync(browser));
        Assert.Contains(browser.LastSetCookies, c => c.StartsWith("session=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_the_table_store_the_published_app_keeps_sessions_in_Azure_Tables_and_the_timer_purges_the_expired_ones()
    {
        var publish = await _workspace.PublishAsync("functions-table");
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        try
        {
            var table = await azurite.CreateTableAsync();
            // What the generated infra/main.bicep sets, with a connection string in place of the managed identity endpoint.
            var settings = new Dictionary<string, string>
            {
                ["Sessions__EncryptionKey"] = TemplateWorkspace.TestKey,
                ["Sessions__AzureTables__ConnectionString"] = azurite.ConnectionString,
                ["Sessions__AzureTables__TableName"] = table.Name,
            };
            await using var handler = await CustomHandlerProcess.StartAsync(publish.Directory, settings);
            var browser = new PublicBrowser(handler.Host, new Uri("https://sessions-app.azurewebsites.net/"), RequestOrigin.Azure);
            // The harness's readiness check (GET /) already made a session of its own.
            var before = await SessionKeysAsync(table);

            Assert.Equal(1, await VisitAsync(browser));
            Assert.Contains(browser.LastSetCookies, c => c.StartsWith("session=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(2, await VisitAsync(browser));
            string visitor = Assert.Single((await SessionKeysAsync(table)).Except(before));
            Assert.Matches("^[0-9a-f]{64}$", visitor);

            // A session that expired an hour ago, as the store writes one (partition = the key's first two characters).
            string expiredKey = new('a', 64);
            await table.AddEntityAsync(new TableEntity(expiredKey[..2], expiredKey)
            {
                ["Data"] = "{}",
                ["ExpiresAt"] = DateTimeOffset.UtcNow.AddHours(-1),
            });
            using var timer = await handler.Host.InvokeAsync("PurgeExpiredSessions", FunctionsHost.TimerPayload("PurgeExpiredSessions"));

            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
            Assert.Equal(1, JsonNode.Parse(await timer.Content.ReadAsStringAsync())!["Outputs"]!["purged"]!.GetValue<int>());
            var after = await SessionKeysAsync(table);
            Assert.DoesNotContain(expiredKey, after);
            Assert.Equal(before.Append(visitor).Order(StringComparer.Ordinal), after);
            Assert.Equal(3, await VisitAsync(browser));
        }
        finally
        {
            await azurite.DisposeAsync();
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

    /// <summary>GET / and the visit count it answers.</summary>
    private static async Task<int> VisitAsync(PublicBrowser browser)
    {
        using var response = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["visits"]!.GetValue<int>();
    }

    /// <summary>The row keys (hashed session ids) of the sessions in the table, sorted.</summary>
    private static async Task<List<string>> SessionKeysAsync(TableClient table)
    {
        var keys = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            keys.Add(entity.RowKey);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
