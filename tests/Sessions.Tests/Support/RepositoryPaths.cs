namespace SessionsServerless.Tests.Support;

/// <summary>Finds the repository the tests run from, and the npm tools it installs.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>The path of an npm package; fails with how to install it when it is missing.</summary>
    public static string NodePackage(string name)
    {
        string path = Path.Combine(NodeModules, name);
        if (!Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"The npm package '{name}' is not installed in {NodeModules}. Run `npm ci` in the repository root (bash eng/test.sh does it).");
        }

        return path;
    }

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
