using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security;
using SessionsServerless.AzureFunctions.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SessionsServerless.Templates.Tests.Support;

/// <summary>All the test classes share one workspace, so the packages are packed and the templates created once.</summary>
[CollectionDefinition(Name)]
public sealed class GeneratedProjectsCollection : ICollectionFixture<TemplateWorkspace>
{
    public const string Name = "Generated projects";
}

/// <summary>
/// What CI does with the templates, in a temporary folder: packs the library projects and the template package into a
/// local folder feed, installs the template package from its .nupkg into an isolated template hive, creates every
/// template with every option value, and builds and tests each generated solution. NuGet sees only the local feed and
/// the machine's global packages folder (nuget.config with &lt;clear/&gt;), extracts into a folder of its own (so the
/// packed 0.x packages never reach the machine's cache), and every HTTP proxy variable points at a closed port, so a
/// restore that tried the network would fail.
/// </summary>
/// <remarks>
/// The work starts when the workspace is created and runs in the background, two commands at a time; a test waits for
/// what it needs. <c>SESSIONS_TEMPLATES_TESTS_KEEP=1</c> keeps the folder after the run, for a look at what was generated.
/// </remarks>
public sealed class TemplateWorkspace : IAsyncLifetime
{
    /// <summary>The key the tests give a generated app where a real key is needed.</summary>
    public const string TestKey = "templates-tests-key-0123456789abcdefghijklmnopqrstuvwxyz";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] PackedProjects =
    [
        "src/Sessions/SessionsServerless.csproj",
        "src/Lambda/SessionsServerless.Lambda.csproj",
        "src/AzureFunctions/CustomHandler/SessionsServerless.AzureFunctions.csproj",
        "src/AzureFunctions/Worker/SessionsServerless.AzureFunctions.Worker.csproj",
        "src/Stores.Dynamo/SessionsServerless.Stores.DynamoDB.csproj",
        "src/Stores.Table/SessionsServerless.Stores.AzureTables.csproj",
        "templates/SessionsServerless.Templates.csproj",
    ];

    private readonly IMessageSink _diagnostics;

    // Builds are CPU-bound: on the two cores CI has, two at once keep both busy; more only wait for them.
    private readonly SemaphoreSlim _slots = new(Math.Clamp(Environment.ProcessorCount, 1, 2));
    private readonly Dictionary<string, Task<GeneratedProject>> _projects = [];
    private readonly Dictionary<string, Task<Publish>> _publishes = [];

    // The Native AOT publish is the longest step and waits for its variant's build: that build takes the first slot and
    // keeps it for the publish, which runs while the other variants build in the other slot.
    private readonly TaskCompletionSource _nativeAotBuildStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _nativeAotHoldsSlot;

    public TemplateWorkspace(IMessageSink diagnostics)
    {
        _diagnostics = diagnostics;
    }

    /// <summary>The repository version: the version of every packed package, and what generated projects reference.</summary>
    public static string PackageVersion { get; } = typeof(TemplateWorkspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PackageVersion").Value!;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sessions-templates-tests", Guid.NewGuid().ToString("N")[..8]);

    public string Feed => Path.Combine(Root, "feed");

    public string Hive => Path.Combine(Root, "hive");

    /// <summary>Where NuGet extracts what the generated projects restore.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>The machine's global packages folder, the second package source.</summary>
    public string MachinePackagesFolder { get; private set; } = string.Empty;

    public string TemplatePackage => Path.Combine(Feed, $"SessionsServerless.Templates.{PackageVersion}.nupkg");

    /// <summary>What <c>dotnet new install</c> printed.</summary>
    public CommandResult Installation { get; private set; } = new(-1, string.Empty);

    /// <summary>The environment of every command run on generated projects.</summary>
    public IReadOnlyDictionary<string, string?> CommandEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["HTTP_PROXY"] = "http://127.0.0.1:9",
        ["HTTPS_PROXY"] = "http://127.0.0.1:9",
        ["ALL_PROXY"] = "http://127.0.0.1:9",
        ["http_proxy"] = "http://127.0.0.1:9",
        ["https_proxy"] = "http://127.0.0.1:9",
        ["all_proxy"] = "http://127.0.0.1:9",
        ["NO_PROXY"] = "127.0.0.1,localhost",
        ["no_proxy"] = "127.0.0.1,localhost",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["ASPNETCORE_ENVIRONMENT"] = null,
        ["DOTNET_ENVIRONMENT"] = null,
        ["Sessions__EncryptionKey"] = null,
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        MachinePackagesFolder = await FindMachinePackagesFolderAsync();
        await PackAsync();
        await File.WriteAllTextAsync(Path.Combine(Root, "nuget.config"), NuGetConfig());
        Installation = await RunDotnetAsync(Root, ["new", "install", TemplatePackage, "--debug:custom-hive", Hive]);
        if (Installation.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet new install {TemplatePackage} failed: {Installation}");
        }

        foreach (var variant in TemplateVariant.All)
        {
            _projects[variant.Id] = CreateBuildAndTestAsync(variant);
        }

        _publishes[TemplateVariant.NativeAotPublished.Id] = PublishNativeAsync(TemplateVariant.NativeAotPublished);
        _publishes[TemplateVariant.ManagedPublished.Id] = PublishLambdaManagedAsync(TemplateVariant.ManagedPublished);
        foreach (var variant in TemplateVariant.All.Where(v => v.IsCustomHandler || v.IsIsolated))
        {
            _publishes[variant.Id] = PublishFunctionsAppAsync(variant);
        }
    }

    /// <summary>The variant's solution, once it was created, built and tested.</summary>
    public Task<GeneratedProject> ProjectAsync(string id) => _projects[id];

    /// <summary>
    /// The variant's publish output: the Native AOT publish through the Makefile (what <c>sam build</c> runs) for
    /// <see cref="TemplateVariant.NativeAotPublished"/>, <c>dotnet publish</c> for a sessions-functions variant.
    /// </summary>
    public Task<Publish> PublishAsync(string id) => _publishes[id];

    /// <summary>Runs <c>dotnet</c> with the generated projects' environment.</summary>
    public Task<CommandResult> RunDotnetAsync(string workingDirectory, IEnumerable<string> arguments) =>
        RunAsync(ProcessRunner.Dotnet, arguments, workingDirectory);

    /// <summary>Runs a command with the generated projects' environment.</summary>
    public async Task<CommandResult> RunAsync(string command, IEnumerable<string> arguments, string workingDirectory)
    {
        var timer = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(command, arguments, workingDirectory, CommandTimeout, CommandEnvironment);
        var outcome = new CommandResult(result.ExitCode, result.Output, timer.Elapsed);
        Report($"{command} {string.Join(' ', arguments.Take(2))} in {Path.GetFileName(workingDirectory)}: exit code {outcome.ExitCode}", outcome.Duration);
        return outcome;
    }

    public async Task DisposeAsync()
    {
        // Let background work finish (each command has its own time limit) before its folder goes.
        await Task.WhenAll(_projects.Values.Cast<Task>().Concat(_publishes.Values).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        if (Environment.GetEnvironmentVariable("SESSIONS_TEMPLATES_TESTS_KEEP") != "1" && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>How long each step took, in the test log (xunit.runner.json turns diagnostic messages on).</summary>
    private void Report(string step, TimeSpan duration) =>
        _diagnostics.OnMessage(new DiagnosticMessage($"[templates] {step} ({duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)"));

    private static async Task<string> FindMachinePackagesFolderAsync()
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet, ["nuget", "locals", "global-packages", "--list"], TestEnvironment.RepositoryRoot, CommandTimeout);
        string? line = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        if (result.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"`dotnet nuget locals global-packages --list` did not name the global packages folder: {result}");
        }

        return line["global-packages:".Length..].Trim();
    }

    /// <summary>One `dotnet pack` over a solution filter of the packed projects, from the build the test run already made.</summary>
    private async Task PackAsync()
    {
        string filter = Path.Combine(Root, "packed.slnf");
        string projects = string.Join(", ", PackedProjects.Select(p => $"\"{p}\""));
        string solution = Path.Combine(TestEnvironment.RepositoryRoot, "SessionsServerless.sln").Replace("\\", "\\\\", StringComparison.Ordinal);
        await File.WriteAllTextAsync(filter, $$"""{ "solution": { "path": "{{solution}}", "projects": [ {{projects}} ] } }""");
        var timer = Stopwatch.StartNew();
        var pack = await ProcessRunner.RunAsync(
            ProcessRunner.Dotnet,
            ["pack", filter, "--no-build", "--no-restore", "-c", TestEnvironment.Configuration, $"-p:PackageOutputPath={Feed}/", "-tl:off", "-nologo"],
            Root,
            CommandTimeout);
        Report($"dotnet pack of {PackedProjects.Length} projects: exit code {pack.ExitCode}", timer.Elapsed);
        var missing = PackedProjects.Select(p => Path.GetFileNameWithoutExtension(p) + "." + PackageVersion + ".nupkg")
            .Where(package => !File.Exists(Path.Combine(Feed, package)))
            .ToList();
        if (pack.ExitCode != 0 || missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Packing into {Feed} failed (missing: {string.Join(", ", missing)}). The projects must be built in {TestEnvironment.Configuration} first; " +
                $"`dotnet test tests/Templates.Tests -c {TestEnvironment.Configuration}` builds them. {pack}");
        }
    }

    private string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <!-- Generated by the template tests: the local feed and the machine's packages, nothing from the network. -->
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{SecurityElement.Escape(PackagesFolder)}" />
          </config>
          <packageSources>
            <clear />
            <add key="sessionsserverless-local-feed" value="{SecurityElement.Escape(Feed)}" />
            <add key="machine-global-packages" value="{SecurityElement.Escape(MachinePackagesFolder)}" />
          </packageSources>
          <fallbackPackageFolders>
            <clear />
          </fallbackPackageFolders>
          <disabledPackageSources>
            <clear />
          </disabledPackageSources>
        </configuration>
        """;

    private async Task<GeneratedProject> CreateBuildAndTestAsync(TemplateVariant variant)
    {
        try
        {
            return await CreateBuildAndTestInOrderAsync(variant);
        }
        finally
        {
            // Whatever became of the Native AOT variant, the others never wait for it longer than this.
            if (variant == TemplateVariant.NativeAotPublished)
            {
                _nativeAotBuildStarted.TrySetResult();
            }
        }
    }

    private async Task<GeneratedProject> CreateBuildAndTestInOrderAsync(TemplateVariant variant)
    {
        string directory = Path.Combine(Root, variant.Id);
        var creation = await RunDotnetAsync(
            Root,
            ["new", variant.ShortName, "-n", variant.Name, "-o", directory, .. variant.Options, "--debug:custom-hive", Hive, "--no-update-check"]);
        if (creation.ExitCode != 0)
        {
            return new GeneratedProject(variant, directory, creation, null, null);
        }

        if (variant == TemplateVariant.NativeAotPublished)
        {
            await _slots.WaitAsync();
            _nativeAotHoldsSlot = true;
            _nativeAotBuildStarted.TrySetResult();
        }
        else
        {
            await _nativeAotBuildStarted.Task;
            await _slots.WaitAsync();
        }

        string solution = Path.Combine(directory, variant.Name + ".slnx");
        try
        {
            // Release, as the publish that follows: a Functions publish then reuses this build (--no-build).
            var build = await RunDotnetAsync(directory, ["build", solution, "-c", GeneratedProject.Configuration, "-tl:off", "-nologo"]);
            var test = build.ExitCode == 0
                ? await RunDotnetAsync(directory, ["test", solution, "-c", GeneratedProject.Configuration, "--no-build", "-tl:off", "-nologo"])
                : null;
            return new GeneratedProject(variant, directory, creation, build, test);
        }
        finally
        {
            if (variant != TemplateVariant.NativeAotPublished)
            {
                _slots.Release();
            }
        }
    }

    /// <summary>
    /// Runs the generated Makefile's target, as <c>sam build</c> does for a <c>BuildMethod: makefile</c> function, in the
    /// slot the variant's build kept, then frees that slot.
    /// </summary>
    private async Task<Publish> PublishNativeAsync(TemplateVariant variant)
    {
        try
        {
            var project = await _projects[variant.Id];
            string output = Path.Combine(Root, variant.Id + "-sam-artifacts");
            if (project.Build is not { ExitCode: 0 })
            {
                return new Publish(new CommandResult(-1, "Not published: the project did not build."), output);
            }

            var make = await RunAsync("make", ["build-AppFunction", $"ARTIFACTS_DIR={output}"], project.AppDirectory);
            return new Publish(make, output);
        }
        finally
        {
            if (_nativeAotHoldsSlot)
            {
                _slots.Release();
            }
        }
    }

    /// <summary>
    /// What <c>sam build</c> runs for the <c>dotnet10</c> runtime (<c>dotnet lambda package</c>): a Release publish for
    /// <c>linux-x64</c>, framework-dependent, with nothing else on the command line, so the project's own settings decide
    /// (ReadyToRun).
    /// </summary>
    private async Task<Publish> PublishLambdaManagedAsync(TemplateVariant variant)
    {
        var project = await _projects[variant.Id];
        string output = Path.Combine(Root, variant.Id + "-linux-x64");
        if (project.Build is not { ExitCode: 0 })
        {
            return new Publish(new CommandResult(-1, "Not published: the project did not build."), output);
        }

        await _slots.WaitAsync();
        try
        {
            var publish = await RunDotnetAsync(project.Directory, ["publish", project.AppProject, "-c", GeneratedProject.Configuration, "-r", "linux-x64", "--self-contained", "false", "-o", output, "-tl:off", "-nologo"]);
            return new Publish(publish, output);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// <c>dotnet publish --no-build</c> of the variant's Release build, framework-dependent: the folder a Functions host
    /// runs (a custom handler's host.json, an isolated worker's worker.config.json, names <c>dotnet</c>). It reuses the
    /// build the solution's tests ran on, so it only copies files (a few seconds per variant).
    /// </summary>
    private async Task<Publish> PublishFunctionsAppAsync(TemplateVariant variant)
    {
        var project = await _projects[variant.Id];
        string output = Path.Combine(Root, variant.Id + "-publish");
        if (project.Build is not { ExitCode: 0 })
        {
            return new Publish(new CommandResult(-1, "Not published: the project did not build."), output);
        }

        await _slots.WaitAsync();
        try
        {
            var publish = await RunDotnetAsync(project.Directory, ["publish", project.AppProject, "-c", GeneratedProject.Configuration, "--no-build", "-o", output, "-tl:off", "-nologo"]);
            return new Publish(publish, output);
        }
        finally
        {
            _slots.Release();
        }
    }
}

/// <summary>A publish: what it printed and where it wrote.</summary>
/// <param name="Result">The command's exit code and output.</param>
/// <param name="Directory">The output folder.</param>
public sealed record Publish(CommandResult Result, string Directory)
{
    /// <summary>The compiler and SDK warnings it printed (<c>file(1,2): warning CODE: ...</c>).</summary>
    public IReadOnlyList<string> Warnings => Result.Output.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
}
