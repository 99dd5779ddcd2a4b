using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The folder `dotnet publish` produces is a Functions custom-handler app as the Functions documentation describes it:
/// host.json at the root, one folder per function with its function.json, local.settings.json for local runs.
/// </summary>
[Collection(PublishedDemoCollection.Name)]
public sealed class PublishOutputTests
{
    private readonly PublishedDemo _demo;

    public PublishOutputTests(PublishedDemo demo)
    {
        _demo = demo;
    }

    [Fact]
    public void Host_json_runs_the_published_app_as_a_custom_handler_with_forwarded_requests()
    {
        var host = ReadObject("host.json");

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        var customHandler = host["customHandler"]!.AsObject();
        Assert.True(customHandler["enableForwardingHttpRequest"]!.GetValue<bool>());
        var description = customHandler["description"]!.AsObject();

        // Framework-dependent: `dotnet LoginDemo.dll`, run from the app root (the host's default working directory).
        Assert.Equal("dotnet", description["defaultExecutablePath"]!.GetValue<string>());
        var arguments = description["arguments"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["LoginDemo.dll"], arguments);
        Assert.True(File.Exists(Path.Combine(_demo.Folder, arguments[0])));
        Assert.Null(description["workingDirectory"]);

        Assert.Equal(string.Empty, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var bundle = host["extensionBundle"]!.AsObject();
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", bundle["id"]!.GetValue<string>());
        Assert.Equal("[4.*, 5.0.0)", bundle["version"]!.GetValue<string>());
        Assert.Equal(["customHandler", "extensionBundle", "extensions", "version"], host.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_development_key_is_not_published()
    {
        Assert.True(File.Exists(Path.Combine(_demo.Folder, "appsettings.json")));
        Assert.False(File.Exists(Path.Combine(_demo.Folder, "appsettings.Development.json")), "The demo's development key was published.");
    }

    [Fact]
    public void The_http_function_forwards_every_method_and_every_path_but_the_purge_timers_anonymously()
    {
        var bindings = ReadObject(Path.Combine("HttpForwarder", "function.json"))["bindings"]!.AsArray();

        Assert.Equal(2, bindings.Count);
        var trigger = bindings.Single(b => b!["direction"]!.GetValue<string>() == "in")!.AsObject();
        Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
        // Every path but the purge timer's, which the host itself then answers with 404 (PurgeTimerTests).
        Assert.Equal("{*path:regex(^(?!/*PurgeExpiredSessions/*$))=root}", trigger["route"]!.GetValue<string>());
        Assert.False(trigger.ContainsKey("methods"), "Without a methods list the trigger accepts every HTTP method.");
        Assert.False(string.IsNullOrEmpty(trigger["name"]!.GetValue<string>()));

        var output = bindings.Single(b => b!["direction"]!.GetValue<string>() == "out")!.AsObject();
        Assert.Equal("http", output["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(output["name"]!.GetValue<string>()));
    }

    [Fact]
    public void The_purge_function_is_a_timer_on_a_six_field_schedule()
    {
        var bindings = ReadObject(Path.Combine("PurgeExpiredSessions", "function.json"))["bindings"]!.AsArray();

        var trigger = Assert.Single(bindings)!.AsObject();
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("in", trigger["direction"]!.GetValue<string>());
        Assert.Equal("timer", trigger["name"]!.GetValue<string>());
        Assert.Equal("0 */5 * * * *", trigger["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void Local_settings_select_the_custom_worker_runtime_and_local_storage()
    {
        var settings = ReadObject("local.settings.json");

        Assert.False(settings["IsEncrypted"]!.GetValue<bool>());
        var values = settings["Values"]!.AsObject();
        Assert.Equal("Custom", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
        Assert.Equal("true", values["AzureWebJobsDisableHomepage"]!.GetValue<string>());
        Assert.DoesNotContain(values, v => v.Key.Contains("EncryptionKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Only_the_documented_function_folders_are_added()
    {
        var functionFolders = Directory.GetDirectories(_demo.Folder)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["HttpForwarder", "PurgeExpiredSessions"], functionFolders);

        // The files are generated under obj/, never in the project folder (where the Web SDK would publish them again).
        Assert.False(Directory.Exists(Path.Combine(_demo.Folder, "azure-functions")));
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(TestEnvironment.DemoProject)!, "azure-functions")));
    }

    private JsonObject ReadObject(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_demo.Folder, relativePath)))!.AsObject();
}
