using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;
using SessionsServerless.Lambda.Tests.Support;
using SessionsServerless.Templates.Tests.Support;

namespace SessionsServerless.Templates.Tests;

/// <summary>
/// sessions-lambda: the generated SAM template passes the resource specification check and follows the options, and the
/// generated app serves API Gateway invocations through the Lambda Runtime API, as a JIT assembly and as the Native AOT
/// bootstrap its Makefile publishes.
/// </summary>
[Collection(GeneratedProjectsCollection.Name)]
public sealed class LambdaTemplateTests
{
    private readonly TemplateWorkspace _workspace;

    public LambdaTemplateTests(TemplateWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<string> Variants => TemplateVariant.Ids(v => v.IsLambda);

    public static TheoryData<string> JitVariants => TemplateVariant.Ids(v => v.IsLambda && !v.Aot);

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_SAM_template_passes_the_specification_check_and_follows_the_options(string id)
    {
        var project = await _workspace.ProjectAsync(id);
        var variant = project.Variant;
        Assert.True(project.Creation.Succeeded, project.Creation.ToString());

        var check = await _workspace.RunAsync("node", [Path.Combine(TestEnvironment.RepositoryRoot, "eng", "validate-template.mjs"), project.PathOf("template.yaml")], TestEnvironment.RepositoryRoot);

        Assert.True(check.Succeeded, check.ToString());
        bool dynamo = variant.Store == "dynamodb";
        // The secret, the API, the function, and the streaming Function URL with its permission (conditional), plus the table.
        Assert.Contains($"template OK ({(dynamo ? 6 : 5)} resources checked", check.Output, StringComparison.Ordinal);
        string template = project.Read("template.yaml");
        Assert.Contains($"      CodeUri: src/{variant.Name}/\n", template, StringComparison.Ordinal);
        // The key at rest: a Secrets Manager secret that only this function may read, named by its ARN, never the key itself.
        Assert.Contains("    Type: AWS::SecretsManager::Secret\n    Condition: CreateKeySecret\n", template, StringComparison.Ordinal);
        Assert.Contains("          Sessions__SecretsManager__SecretId: !If [CreateKeySecret, !Ref SessionsKeySecret, !Ref EncryptionKeySecretArn]\n", template, StringComparison.Ordinal);
        Assert.Contains("                - secretsmanager:GetSecretValue\n              Resource: !If [CreateKeySecret, !Ref SessionsKeySecret, !Ref EncryptionKeySecretArn]\n", template, StringComparison.Ordinal);
        Assert.Contains("        - !Ref SecretsExtensionLayerArn\n", template, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions__EncryptionKey", template, StringComparison.Ordinal);
        Assert.DoesNotContain("NoEcho", template, StringComparison.Ordinal);
        Assert.DoesNotContain("secretsmanager:*", template, StringComparison.Ordinal);
        Assert.DoesNotContain("LoginDemo", template, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-only", template, StringComparison.Ordinal);
        Assert.DoesNotContain("#template:", template, StringComparison.Ordinal);
        if (variant.Aot)
        {
            Assert.Contains("      Handler: bootstrap\n      Runtime: provided.al2023\n", template, StringComparison.Ordinal);
            Assert.Contains("      BuildMethod: makefile\n", template, StringComparison.Ordinal);
            Assert.Contains("<PublishAot>true</PublishAot>", await File.ReadAllTextAsync(project.AppProject), StringComparison.Ordinal);
            Assert.DoesNotContain("PublishReadyToRun", await File.ReadAllTextAsync(project.AppProject), StringComparison.Ordinal);
            Assert.Contains($"mv \"$(ARTIFACTS_DIR)/{variant.Name}\" \"$(ARTIFACTS_DIR)/bootstrap\"", project.Read("src", variant.Name, "Makefile"), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"      Handler: {variant.Name}\n      Runtime: dotnet10\n", template, StringComparison.Ordinal);
            Assert.DoesNotContain("BuildMethod", template, StringComparison.Ordinal);
            Assert.DoesNotContain("PublishAot", await File.ReadAllTextAsync(project.AppProject), StringComparison.Ordinal);
            Assert.False(File.Exists(project.PathOf("src", variant.Name, "Makefile")));
        }

        if (dynamo)
        {
            Assert.Contains("    Type: AWS::DynamoDB::Table\n", template, StringComparison.Ordinal);
            Assert.Contains("        AttributeName: expiresAt\n        Enabled: true\n", template, StringComparison.Ordinal);
            Assert.Contains("          Sessions__Store: dynamodb\n          Sessions__DynamoDb__TableName: !Ref SessionsTable\n", template, StringComparison.Ordinal);
            Assert.Contains("              Resource: !GetAtt SessionsTable.Arn\n", template, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("DynamoDB", template, StringComparison.Ordinal);
            Assert.Contains("          Sessions__Store: cookie\n", template, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(JitVariants))]
    public async Task The_built_app_serves_API_Gateway_invocations_with_sessions_in_its_store(string id)
    {
        var project = await _workspace.ProjectAsync(id);
        project.AssertBuiltAndTested();
        await using var store = await AppStore.StartAsync(project.Variant);
        await using var runtimeApi = await TestRuntimeApi.StartAsync();
        await using var function = LambdaProcess.Start(ProcessRunner.Dotnet, [project.AppAssembly], project.AppOutput, runtimeApi.Address, store.AppSettings);

        await AssertVisitsAreCountedAsync(runtimeApi, function, store);
    }

    [Fact]
    public async Task On_Lambda_the_app_seals_its_cookies_with_the_key_from_the_secret_template_yaml_names()
    {
        var project = await _workspace.ProjectAsync("lambda-cookie");
        project.AssertBuiltAndTested();
        const string secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-key-AbCdEf";
        await using var extension = await SecretsExtensionStandIn.StartAsync();
        extension.Secrets[(secretArn, "AWSCURRENT")] = "the-key-kept-in-secrets-manager-0123456789";
        await using var runtimeApi = await TestRuntimeApi.StartAsync();
        // What template.yaml and Lambda set: the secret's ARN, the session token, and no key at all.
        var environment = new Dictionary<string, string?>
        {
            ["Sessions__SecretsManager__SecretId"] = secretArn,
            ["AWS_SESSION_TOKEN"] = SecretsExtensionStandIn.Token,
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = extension.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions__Store"] = "cookie",
        };
        await using var function = LambdaProcess.Start(ProcessRunner.Dotnet, [project.AppAssembly], project.AppOutput, runtimeApi.Address, environment);

        var cookies = new CookieJar();
        foreach (int expected in new[] { 1, 2 })
        {
            var result = await runtimeApi.InvokeAsync(TestEvents.HttpApi("GET", "/", cookies: cookies.Pairs));
            Assert.False(result.IsError, result.Document.ToJsonString() + "\n" + function.Output);
            Assert.Equal(expected, JsonNode.Parse(result.Body)!["visits"]!.GetValue<int>());
            cookies.Apply(result);
        }

        // The cookie store refuses to start without a key in Production: the only key there is came from the secret.
        Assert.Contains($"/secretsmanager/get?secretId={Uri.EscapeDataString(secretArn)}&versionStage=AWSCURRENT", extension.Requests);
        Assert.NotNull(cookies["session"]);
    }

    [Fact]
    public async Task The_packed_template_yaml_is_the_root_template_yaml_with_its_markers_applied()
    {
        string root = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "template.yaml"));
        using var package = System.IO.Compression.ZipFile.OpenRead(_workspace.TemplatePackage);
        using var reader = new StreamReader(package.GetEntry("content/sessions-lambda/template.yaml")!.Open());
        string packed = await reader.ReadToEndAsync();

        Assert.Equal(ApplyMarkers(root, "#"), packed);
        // One copy only: the template folder has none of its own to drift from.
        Assert.False(File.Exists(Path.Combine(TestEnvironment.RepositoryRoot, "templates", "content", "sessions-lambda", "template.yaml")));
        // The demo's own settings stay in the root file.
        Assert.Contains("samples/LoginDemo/", root, StringComparison.Ordinal);
        Assert.DoesNotContain("samples/", packed, StringComparison.Ordinal);
        Assert.DoesNotContain("SessionStore", packed, StringComparison.Ordinal);
    }

    /// <summary>
    /// What the template package does to a shared deployment file (templates/SessionsServerless.Templates.csproj), written
    /// again here so the test does not check the packer against itself.
    /// </summary>
    internal static string ApplyMarkers(string text, string comment)
    {
        var lines = new List<string>();
        bool demoOnly = false;
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line == comment + "begin demo-only" || line == comment + "end demo-only")
            {
                demoOnly = line.EndsWith("begin demo-only", StringComparison.Ordinal);
            }
            else if (!demoOnly && !line.EndsWith($" {comment} demo-only", StringComparison.Ordinal))
            {
                lines.Add(line.StartsWith(comment + "template:", StringComparison.Ordinal) ? line[(comment.Length + "template:".Length)..] : line);
            }
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public async Task Without_a_key_the_function_reports_an_init_error_that_says_how_to_set_one()
    {
        var project = await _workspace.ProjectAsync("lambda-cookie");
        project.AssertBuiltAndTested();
        await using var runtimeApi = await TestRuntimeApi.StartAsync();
        await using var function = LambdaProcess.Start(ProcessRunner.Dotnet, [project.AppAssembly], project.AppOutput, runtimeApi.Address, new Dictionary<string, string?>());

        var initError = await runtimeApi.InitError;

        string message = initError.Document["errorMessage"]!.GetValue<string>();
        Assert.Contains("Sessions:EncryptionKey is not set", message, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey", message, StringComparison.Ordinal);
        Assert.NotEqual(0, await function.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task The_Makefile_publishes_a_Native_AOT_bootstrap_that_serves_invocations()
    {
        var publish = await _workspace.PublishAsync(TemplateVariant.NativeAotPublished.Id);
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        Assert.Empty(publish.Warnings);

        string bootstrap = Path.Combine(publish.Directory, "bootstrap");
        Assert.True(File.Exists(bootstrap), "No bootstrap in " + publish.Directory);
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(bootstrap)[..4]);
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), "bootstrap is not executable.");
        var files = Directory.GetFiles(publish.Directory).Select(Path.GetFileName).ToList();
        Assert.Contains("appsettings.json", files);
        Assert.DoesNotContain("appsettings.Development.json", files);
        Assert.DoesNotContain(files, f => f!.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".dll", StringComparison.Ordinal));

        await using var store = await AppStore.StartAsync(TemplateVariant.NativeAotPublished);
        await using var runtimeApi = await TestRuntimeApi.StartAsync();
        await using var function = LambdaProcess.Start(bootstrap, [], publish.Directory, runtimeApi.Address, store.AppSettings);

        await AssertVisitsAreCountedAsync(runtimeApi, function, store);
    }

    [Fact]
    public async Task The_JIT_app_published_as_sam_build_publishes_it_is_ReadyToRun_and_serves_invocations()
    {
        var publish = await _workspace.PublishAsync(TemplateVariant.ManagedPublished.Id);
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        Assert.Empty(publish.Warnings);

        // ReadyToRun code is in the app's assembly and in the packages' (a plain IL assembly has no native header).
        string name = TemplateVariant.ManagedPublished.Name;
        foreach (string assembly in new[] { name + ".dll", "SessionsServerless.dll", "SessionsServerless.Lambda.dll" })
        {
            Assert.True(IsReadyToRun(Path.Combine(publish.Directory, assembly)), assembly + " was published without ReadyToRun code.");
        }

        await using var store = await AppStore.StartAsync(TemplateVariant.ManagedPublished);
        await using var runtimeApi = await TestRuntimeApi.StartAsync();
        await using var function = LambdaProcess.Start(ProcessRunner.Dotnet, [Path.Combine(publish.Directory, name + ".dll")], publish.Directory, runtimeApi.Address, store.AppSettings);

        await AssertVisitsAreCountedAsync(runtimeApi, function, store);
    }

    [Fact]
    public async Task A_build_without_a_runtime_identifier_stays_plain_IL()
    {
        var project = await _workspace.ProjectAsync(TemplateVariant.ManagedPublished.Id);
        project.AssertBuiltAndTested();
        Assert.Contains("<PublishReadyToRun Condition=\"'$(RuntimeIdentifier)' != ''\">true</PublishReadyToRun>", await File.ReadAllTextAsync(project.AppProject), StringComparison.Ordinal);
        Assert.False(IsReadyToRun(project.AppAssembly), project.AppAssembly + " carries ReadyToRun code from a plain build.");
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>
    /// Two HTTP API (v2) invocations in one browser session: the second sees the first's visit, and a server store holds
    /// the one session.
    /// </summary>
    private static async Task AssertVisitsAreCountedAsync(TestRuntimeApi runtimeApi, LambdaProcess function, AppStore store)
    {
        var cookies = new CookieJar();
        foreach (int expected in new[] { 1, 2 })
        {
            var result = await runtimeApi.InvokeAsync(TestEvents.HttpApi("GET", "/", cookies: cookies.Pairs));
            Assert.False(result.IsError, result.Document.ToJsonString() + "\n" + function.Output);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(expected, JsonNode.Parse(result.Body)!["visits"]!.GetValue<int>());
            cookies.Apply(result);
            Assert.NotNull(cookies["session"]);
        }

        var stored = await store.StoredSessionIdsAsync();
        if (store.AppSettings.GetValueOrDefault("Sessions__Store") == "dynamodb")
        {
            Assert.Matches("^[0-9a-f]{64}$", Assert.Single(stored));
        }
        else
        {
            Assert.Empty(stored);
        }
    }
}
