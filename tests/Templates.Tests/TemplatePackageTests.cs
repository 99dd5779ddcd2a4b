using System.Text.Json;
using System.Xml.Linq;
using SessionsServerless.Templates.Tests.Support;

namespace SessionsServerless.Templates.Tests;

/// <summary>
/// The template package as a user gets it: installed from its .nupkg, each template created with each option value, and
/// each generated solution restored (offline), built without warnings and its own tests passing.
/// </summary>
[Collection(GeneratedProjectsCollection.Name)]
public sealed class TemplatePackageTests
{
    private readonly TemplateWorkspace _workspace;

    public TemplatePackageTests(TemplateWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<string> Variants => TemplateVariant.Ids(_ => true);

    [Fact]
    public void Installing_the_package_adds_both_templates_to_an_isolated_hive()
    {
        Assert.Contains($"SessionsServerless.Templates@{TemplateWorkspace.PackageVersion} installed the following templates", _workspace.Installation.Output, StringComparison.Ordinal);
        Assert.Contains(TemplateVariant.Lambda, _workspace.Installation.Output, StringComparison.Ordinal);
        Assert.Contains(TemplateVariant.Functions, _workspace.Installation.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(_workspace.Hive), "The custom hive was not used.");
    }

    [Theory]
    [InlineData(TemplateVariant.Lambda, "--store", "redis", "dynamodb")]
    [InlineData(TemplateVariant.Functions, "--store", "dynamodb", "table")]
    [InlineData(TemplateVariant.Lambda, "--aot", "maybe", "Invalid option")]
    [InlineData(TemplateVariant.Functions, "--model", "in-process", "isolated")]
    public async Task An_option_value_the_template_does_not_offer_is_refused(string template, string option, string value, string expectedInMessage)
    {
        string output = Path.Combine(_workspace.Root, "refused-" + Guid.NewGuid().ToString("N")[..6]);

        var result = await _workspace.RunDotnetAsync(_workspace.Root, ["new", template, "-o", output, option, value, "--debug:custom-hive", _workspace.Hive, "--no-update-check"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(value, result.Output, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "A refused template still wrote files.");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_solution_is_created_and_restored_from_the_local_feed_and_the_machine_cache_only(string id)
    {
        var project = await _workspace.ProjectAsync(id);

        Assert.True(project.Creation.Succeeded, project.Creation.ToString());
        Assert.Contains("Restore succeeded.", project.Creation.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Restore failed", project.Creation.Output, StringComparison.Ordinal);
        foreach (string csproj in new[] { project.AppProject, project.TestProject })
        {
            using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(csproj)!, "obj", "project.assets.json")));
            var restore = assets.RootElement.GetProperty("project").GetProperty("restore");
            var sources = restore.GetProperty("sources").EnumerateObject().Select(s => Path.TrimEndingDirectorySeparator(s.Name)).Order().ToList();
            Assert.Equal(new[] { _workspace.Feed, Path.TrimEndingDirectorySeparator(_workspace.MachinePackagesFolder) }.Order(), sources);
            Assert.Equal(Path.TrimEndingDirectorySeparator(_workspace.PackagesFolder), Path.TrimEndingDirectorySeparator(restore.GetProperty("packagesPath").GetString()!));
        }

        // The library packages came from the feed this run packed, not from an older copy in some cache.
        Assert.True(File.Exists(Path.Combine(_workspace.PackagesFolder, "sessionsserverless", TemplateWorkspace.PackageVersion, "sessionsserverless.nuspec")));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Generated_projects_reference_the_library_packages_by_the_repository_version(string id)
    {
        var project = await _workspace.ProjectAsync(id);
        var variant = project.Variant;
        var app = XDocument.Load(project.AppProject);
        var tests = XDocument.Load(project.TestProject);

        var references = app.Descendants("PackageReference").ToDictionary(r => (string)r.Attribute("Include")!, r => (string?)r.Attribute("Version"));
        string[] worker =
        [
            "Microsoft.Azure.Functions.Worker",
            "Microsoft.Azure.Functions.Worker.Sdk",
            "Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore",
            "Microsoft.Azure.Functions.Worker.Extensions.Timer",
        ];
        string[] expected = (variant.IsLambda, variant.IsIsolated, variant.Store) switch
        {
            (true, _, "dynamodb") => ["SessionsServerless", "SessionsServerless.Lambda", "SessionsServerless.Stores.DynamoDB"],
            (true, _, _) => ["SessionsServerless", "SessionsServerless.Lambda"],
            (false, true, "table") => [.. worker, "SessionsServerless", "SessionsServerless.AzureFunctions.Worker", "SessionsServerless.Stores.AzureTables"],
            (false, true, _) => [.. worker, "SessionsServerless", "SessionsServerless.AzureFunctions.Worker"],
            (false, false, "table") => ["SessionsServerless", "SessionsServerless.AzureFunctions", "SessionsServerless.Stores.AzureTables"],
            (false, false, _) => ["SessionsServerless", "SessionsServerless.AzureFunctions"],
        };
        Assert.Equal(expected.Order(), references.Keys.Order());
        Assert.All(
            references.Where(r => r.Key.StartsWith("SessionsServerless", StringComparison.Ordinal)),
            r => Assert.Equal(TemplateWorkspace.PackageVersion, r.Value));
        // The Functions worker packages at the versions this repository builds and tests with.
        Assert.All(references.Where(r => !r.Key.StartsWith("SessionsServerless", StringComparison.Ordinal)), r => Assert.False(string.IsNullOrEmpty(r.Value), r.Key));
        Assert.Empty(app.Descendants("ProjectReference"));
        Assert.Equal(
            [$"../../src/{variant.Name}/{variant.Name}.csproj"],
            tests.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!));
        Assert.All(tests.Descendants("PackageReference"), r => Assert.False(string.IsNullOrEmpty((string?)r.Attribute("Version")), $"{r} has no version."));
        Assert.DoesNotContain("{{", await File.ReadAllTextAsync(project.AppProject), StringComparison.Ordinal);
        Assert.DoesNotContain("{{", await File.ReadAllTextAsync(project.TestProject), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_solution_builds_without_warnings_and_its_own_tests_pass(string id)
    {
        var project = await _workspace.ProjectAsync(id);

        project.AssertBuiltAndTested();
        if (project.Variant.IsIsolated)
        {
            // The Functions worker SDK restores and builds a hidden WorkerExtensions project that ignores the app's
            // settings; on this machine's package source it reports nearest-version matches (NU1603). Nothing else may warn.
            var warnings = project.Build!.Output.Split('\n').Where(line => line.Contains(": warning ", StringComparison.Ordinal)).ToList();
            Assert.All(warnings, line => Assert.Contains("WorkerExtensions.csproj : warning NU1603", line, StringComparison.Ordinal));
        }
        else
        {
            Assert.True(project.BuildWarnings == 0, $"The build printed {project.BuildWarnings} warning(s):\n{project.Build}");
        }
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]\d*, Skipped:\s+0", project.Test!.Output);
    }

    [Fact]
    public async Task Every_project_gets_its_own_development_key_which_works_in_Development_only()
    {
        var keys = new List<string>();
        foreach (var variant in new[] { TemplateVariant.Get("lambda-cookie"), TemplateVariant.Get("functions-cookie") })
        {
            var project = await _workspace.ProjectAsync(variant.Id);
            using var settings = JsonDocument.Parse(project.Read("src", variant.Name, "appsettings.Development.json"));
            keys.Add(settings.RootElement.GetProperty("Sessions").GetProperty("EncryptionKey").GetString()!);
            Assert.DoesNotContain("EncryptionKey", project.Read("src", variant.Name, "appsettings.json"), StringComparison.Ordinal);
        }

        Assert.All(keys, key => Assert.StartsWith("DEVELOPMENT-ONLY-", key, StringComparison.Ordinal));
        Assert.All(keys, key => Assert.True(key.Length >= 32, key));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
