using System.Security;
using System.Xml.Linq;
using SessionsServerless.Templates.Tests.Support;

namespace SessionsServerless.Templates.Tests;

/// <summary>
/// eng/install-templates.sh, the README's one command for `dotnet new` from a clone: it packs the libraries and the
/// templates into a feed, installs the templates and registers the feed as a NuGet source, so that
/// <c>dotnet new sessions-lambda -o MyApp &amp;&amp; cd MyApp &amp;&amp; dotnet test</c> passes; <c>--uninstall</c> undoes it. Run
/// here with a template hive and a NuGet config file of the test's own, so the machine's are untouched.
/// </summary>
[Collection(GeneratedProjectsCollection.Name)]
public sealed class InstallScriptTests
{
    private readonly TemplateWorkspace _workspace;

    public InstallScriptTests(TemplateWorkspace workspace)
    {
        _workspace = workspace;
    }

    [Fact]
    public async Task The_install_script_makes_a_new_project_restore_from_its_feed_and_pass_its_tests_and_uninstall_undoes_it()
    {
        string root = Path.Combine(_workspace.Root, "install-script");
        string feed = Path.Combine(root, "feed");
        string hive = Path.Combine(root, "hive");
        string config = Path.Combine(root, "nuget.config");
        string packages = Path.Combine(root, "packages");
        Directory.CreateDirectory(root);
        // The user's NuGet configuration, with the machine's packages in place of nuget.org (no network in tests).
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="machine-global-packages" value="{SecurityElement.Escape(_workspace.MachinePackagesFolder)}" />
              </packageSources>
            </configuration>
            """);
        var environment = new Dictionary<string, string?>(_workspace.CommandEnvironment)
        {
            ["SESSIONS_TEMPLATE_HIVE"] = hive,
            ["SESSIONS_NUGET_CONFIG"] = config,
            ["SESSIONS_FEED"] = feed,
            // The test run built the projects already (Release); packing them again is what the script adds.
            ["SESSIONS_NO_BUILD"] = "1",
            ["NUGET_PACKAGES"] = packages,
        };

        var install = await RunAsync("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "eng", "install-templates.sh")], TestEnvironment.RepositoryRoot, environment);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("dotnet new sessions-lambda -o MyApp && cd MyApp && dotnet test", install.Output, StringComparison.Ordinal);
        var source = XDocument.Load(config).Descendants("add").Single(a => (string?)a.Attribute("key") == "sessionsserverless-local");
        Assert.Equal(feed, Path.TrimEndingDirectorySeparator((string)source.Attribute("value")!));
        string version = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "SessionsServerless.Templates.*.nupkg").Single())["SessionsServerless.Templates.".Length..];
        Assert.Matches(@"^\d+\.\d+\.\d+-local\.\d{14}$", version);

        // The README's commands, as a user types them (the test adds its hive).
        string app = Path.Combine(root, "MyApp");
        var create = await RunAsync(ProcessRunner.Dotnet, ["new", "sessions-lambda", "-o", app, "--debug:custom-hive", hive, "--no-update-check"], root, environment);
        Assert.True(create.ExitCode == 0, create.ToString());
        var test = await RunAsync(ProcessRunner.Dotnet, ["test", "-tl:off", "-nologo"], app, environment);

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]\d*, Skipped:\s+0", test.Output);
        var references = XDocument.Load(Path.Combine(app, "src", "MyApp", "MyApp.csproj")).Descendants("PackageReference")
            .Where(r => ((string)r.Attribute("Include")!).StartsWith("SessionsServerless", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Equal(version, (string?)r.Attribute("Version")));
        Assert.True(File.Exists(Path.Combine(packages, "sessionsserverless.lambda", version, "sessionsserverless.lambda.nuspec")), "SessionsServerless.Lambda was not restored from the feed.");

        var uninstall = await RunAsync("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "eng", "install-templates.sh"), "--uninstall"], TestEnvironment.RepositoryRoot, environment);

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.DoesNotContain("sessionsserverless-local", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        Assert.False(Directory.Exists(feed), "The feed is still there.");
        var list = await RunAsync(ProcessRunner.Dotnet, ["new", "list", "--debug:custom-hive", hive], root, environment);
        Assert.DoesNotContain("sessions-lambda", list.Output, StringComparison.Ordinal);
    }

    private static async Task<ProcessRunner.Result> RunAsync(string command, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string?> environment) =>
        await ProcessRunner.RunAsync(command, arguments, directory, TimeSpan.FromMinutes(15), environment);
}
