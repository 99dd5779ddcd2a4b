using System.Reflection;

namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>Where the repository, the build configuration and the Bicep CLI are, as the test build recorded them.</summary>
internal static class TestEnvironment
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The configuration the tests (and so the demo they publish) were built in.</summary>
    public static string Configuration => Metadata("Configuration");

    public static string DemoProject => Path.Combine(RepositoryRoot, "samples", "LoginDemo", "LoginDemo.csproj");

    public static string InfraDirectory => Path.Combine(RepositoryRoot, "infra");

    /// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package; fails with how to get it when missing.</summary>
    public static string BicepPath
    {
        get
        {
            string path = Metadata("BicepPath");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The Bicep CLI is missing at {path}. It comes from the PackageDownload of Azure.Bicep.CommandLine.linux-x64 in " +
                    "the test project: run `dotnet restore` (the tests need linux-x64).");
            }

            return path;
        }
    }

    public static string CreateTemporaryDirectory(string purpose)
    {
        string path = Path.Combine(Path.GetTempPath(), "sessions-azure-tests", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata; build it with its project file.");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionsServerless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository (SessionsServerless.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
