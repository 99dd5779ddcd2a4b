using System.Reflection;

namespace SessionsServerless.AzureFunctions.Tests.Support;

/// <summary>Where the infrastructure templates and the Bicep CLI are, as the test build recorded them.</summary>
internal static class BicepEnvironment
{
    public static string InfraDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "infra");

    /// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package; fails with how to get it when missing.</summary>
    public static string BicepPath
    {
        get
        {
            string path = typeof(BicepEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPath")?.Value
                ?? throw new InvalidOperationException("The test assembly has no 'BicepPath' metadata; build it with its project file.");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The Bicep CLI is missing at {path}. It comes from the PackageDownload of Azure.Bicep.CommandLine.linux-x64 in " +
                    "the test project: run `dotnet restore` (the tests need linux-x64).");
            }

            return path;
        }
    }
}
