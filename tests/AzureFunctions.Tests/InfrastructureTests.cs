using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>infra/main.bicep and its parameters file compile and lint clean, and the check fails on a broken copy.</summary>
public sealed class InfrastructureTests : IClassFixture<CompiledInfrastructure>
{
    private readonly CompiledInfrastructure _infra;

    public InfrastructureTests(CompiledInfrastructure infra)
    {
        _infra = infra;
    }

    [Fact]
    public void Main_bicep_compiles_and_lints_without_errors_or_warnings()
    {
        Assert.True(_infra.TemplateReport.Passed, _infra.TemplateReport.ToString());
        Assert.True(_infra.ParametersReport.Passed, _infra.ParametersReport.ToString());
    }

    [Theory]
    [InlineData("main.bicep", "param location", "param unusedSetting string = 'x'\nparam location", "no-unused-params")]
    [InlineData("modules/monitoring.bicep", "param workspaceName string", "param workspaceName string\nvar unusedName = 'x'", "no-unused-vars")]
    [InlineData("modules/functionapp.bicep", "kind: 'functionapp,linux'", "kind: functionappLinux", "BCP057")]
    [InlineData("modules/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: 'false'", "BCP036")]
    public async Task The_check_fails_on_a_broken_copy(string file, string original, string broken, string expectedCode)
    {
        string copy = TestEnvironment.CreateTemporaryDirectory("broken-infra");
        try
        {
            CopyDirectory(BicepEnvironment.InfraDirectory, copy);
            string path = Path.Combine(copy, file);
            string text = await File.ReadAllTextAsync(path);
            Assert.Contains(original, text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(path, text.Replace(original, broken, StringComparison.Ordinal));

            var report = await BicepCli.CheckAsync(Path.Combine(copy, "main.bicep"), Path.Combine(copy, "main.json"));

            Assert.False(report.Passed, "The check passed a broken copy:\n" + report.Output);
            Assert.Contains(report.Problems, problem => problem.Contains(expectedCode, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void The_function_app_is_a_Linux_Flex_Consumption_app_with_its_own_identity()
    {
        var plan = _infra.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>());

        var site = _infra.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("SystemAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("SystemAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_runtime_follows_the_Functions_model_isolated_by_default_and_the_demo_deploys_as_a_custom_handler()
    {
        var model = _infra.Template["parameters"]!["functionsModel"]!;
        Assert.Equal("isolated", model["defaultValue"]!.GetValue<string>());
        Assert.Equal(["isolated", "custom-handler"], model["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));

        var site = _infra.Single("Microsoft.Web/sites");
        Assert.Equal("[variables('runtimes')[parameters('functionsModel')]]", site["properties"]!["functionAppConfig"]!["runtime"]!.GetValue<string>());
        var runtimes = _infra.VariableNode("runtimes");
        Assert.Equal("dotnet-isolated", runtimes["isolated"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtimes["isolated"]!["version"]!.GetValue<string>());
        Assert.Equal("custom", runtimes["custom-handler"]!["name"]!.GetValue<string>());

        // The LoginDemo is an ASP.NET Core app: the repository deploys it as a custom handler.
        Assert.Equal("custom-handler", _infra.Parameters["parameters"]!["functionsModel"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Previous_keys_are_Key_Vault_references_to_earlier_versions_of_the_same_secret()
    {
        Assert.Equal("[concat(variables('settings'), variables('previousKeySettings'))]", _infra.Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.GetValue<string>());
        var loop = _infra.VariableNode("copy").AsArray().Single(c => c!["name"]!.GetValue<string>() == "previousKeySettings")!;

        Assert.Equal("[length(parameters('previousEncryptionKeyVersions'))]", loop["count"]!.GetValue<string>());
        Assert.Equal("[format('Sessions__PreviousEncryptionKeys__{0}', copyIndex('previousKeySettings'))]", loop["input"]!["name"]!.GetValue<string>());
        Assert.Equal(
            "[format('@Microsoft.KeyVault(SecretUri={0}/{1})', parameters('encryptionKeySecretUri'), parameters('previousEncryptionKeyVersions')[copyIndex('previousKeySettings')])]",
            loop["input"]!["value"]!.GetValue<string>());
        Assert.Equal("array", _infra.Template["parameters"]!["previousEncryptionKeyVersions"]!["type"]!.GetValue<string>());
        Assert.Empty(_infra.Parameters["parameters"]!["previousEncryptionKeyVersions"]!["value"]!.AsArray());
    }

    [Fact]
    public void The_identity_gets_only_the_roles_it_needs_with_table_access_scoped_to_the_sessions_table()
    {
        var assignments = _infra.All("Microsoft.Authorization/roleAssignments");
        var roles = assignments.ToDictionary(
            a => _infra.Variable(a["properties"]!["roleDefinitionId"]!.GetValue<string>().Split('\'')[3]),
            a => a["scope"]!.GetValue<string>());

        Assert.Equal(
            [
                "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
                "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
                "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
                "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (the host's storage)
            ],
            roles.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("resourceId('Microsoft.Storage/storageAccounts/tableServices/tables'", roles["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"], StringComparison.Ordinal);
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a["properties"]!["principalType"]!.GetValue<string>()));
    }

    [Fact]
    public void No_key_or_secret_is_written_into_the_template_or_its_parameters()
    {
        Assert.False(_infra.Single("Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.True(_infra.Single("Microsoft.KeyVault/vaults")["properties"]!["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(_infra.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Equal("securestring", _infra.Template["parameters"]!["sessionsEncryptionKey"]!["type"]!.GetValue<string>());
        foreach (string forbidden in new[] { "listKeys", "AccountKey=", "InstrumentationKey", "SharedAccessSignature" })
        {
            Assert.DoesNotContain(forbidden, _infra.TemplateText, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("readEnvironmentVariable('SESSIONS_ENCRYPTION_KEY', '')", File.ReadAllText(Path.Combine(BicepEnvironment.InfraDirectory, "main.bicepparam")), StringComparison.Ordinal);
        Assert.Equal(string.Empty, _infra.Parameters["parameters"]!["sessionsEncryptionKey"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_parameters_file_takes_the_key_from_the_deployers_environment()
    {
        string output = Path.Combine(TestEnvironment.CreateTemporaryDirectory("params"), "main.parameters.json");
        var report = await BicepCli.CheckAsync(
            Path.Combine(BicepEnvironment.InfraDirectory, "main.bicepparam"),
            output,
            new Dictionary<string, string?> { ["SESSIONS_ENCRYPTION_KEY"] = "key-from-the-environment-0123456789abcdef" });

        Assert.True(report.Passed, report.ToString());
        var parameters = JsonNode.Parse(await File.ReadAllTextAsync(output))!["parameters"]!;
        Assert.Equal("key-from-the-environment-0123456789abcdef", parameters["sessionsEncryptionKey"]!["value"]!.GetValue<string>());
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string file in Directory.GetFiles(source, "*.bicep*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>infra/main.bicep and main.bicepparam compiled once for the class, with the reports of the check.</summary>
public sealed class CompiledInfrastructure : IAsyncLifetime
{
    private string _directory = string.Empty;

    internal BicepCli.Report TemplateReport { get; private set; } = null!;

    internal BicepCli.Report ParametersReport { get; private set; } = null!;

    public string TemplateText { get; private set; } = string.Empty;

    public JsonObject Template { get; private set; } = null!;

    public JsonObject Parameters { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory = TestEnvironment.CreateTemporaryDirectory("infra");
        string template = Path.Combine(_directory, "main.json");
        string parameters = Path.Combine(_directory, "main.parameters.json");
        // Compiled as CI compiles it: without a key in the environment.
        var withoutKey = new Dictionary<string, string?> { ["SESSIONS_ENCRYPTION_KEY"] = null };
        TemplateReport = await BicepCli.CheckAsync(Path.Combine(BicepEnvironment.InfraDirectory, "main.bicep"), template, withoutKey);
        ParametersReport = await BicepCli.CheckAsync(Path.Combine(BicepEnvironment.InfraDirectory, "main.bicepparam"), parameters, withoutKey);
        TemplateText = File.Exists(template) ? await File.ReadAllTextAsync(template) : "{}";
        Template = JsonNode.Parse(TemplateText)!.AsObject();
        Parameters = File.Exists(parameters) ? JsonNode.Parse(await File.ReadAllTextAsync(parameters))!.AsObject() : [];
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Every resource of a type, in the template and the modules' nested templates.</summary>
    public IReadOnlyList<JsonNode> All(string type) => Resources(Template).Where(r => r["type"]!.GetValue<string>() == type).ToList();

    public JsonNode Single(string type) => Assert.Single(All(type));

    /// <summary>A variable's value, from whichever template (main or module) declares it.</summary>
    public string Variable(string name) => VariableNode(name).GetValue<string>();

    /// <summary>A variable's value as JSON (an object, a list), from whichever template declares it.</summary>
    public JsonNode VariableNode(string name) => Templates(Template)
        .Select(t => t["variables"]?[name])
        .Single(value => value is not null)!;

    private static IEnumerable<JsonNode> Templates(JsonNode template) =>
        new[] { template }.Concat(template["resources"]!.AsArray().Where(r => r!["properties"]?["template"] is not null).SelectMany(r => Templates(r!["properties"]!["template"]!)));

    private static IEnumerable<JsonNode> Resources(JsonNode template)
    {
        foreach (var resource in template["resources"]!.AsArray())
        {
            yield return resource!;
            if (resource!["properties"]?["template"] is { } nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
