using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace SessionsServerless.TestSupport;

/// <summary>Where the repository and the demo are, and the build configuration the tests were built in.</summary>
public static class TestEnvironment
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The configuration the tests (and so the demo they publish) were built in.</summary>
    public static string Configuration => Metadata("Configuration");

    public static string DemoProject => Path.Combine(RepositoryRoot, "samples", "LoginDemo", "LoginDemo.csproj");

    public static string CreateTemporaryDirectory(string purpose)
    {
        string path = Path.Combine(Path.GetTempPath(), "sessions-tests", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A loopback port nothing listens on (at the time of the call).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test support assembly has no '{key}' metadata; build it with its project file.");

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
