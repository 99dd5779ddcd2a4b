namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>The repository the tests run from, and the files of this test project.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file copied next to the test assembly (Events/, Templates/).</summary>
    public static string TestFile(string relativePath) => Path.Combine(AppContext.BaseDirectory, relativePath);

    private static string FindRoot()
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
