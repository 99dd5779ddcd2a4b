namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

internal static class RepositoryRoot
{
    /// <summary>The directory that holds SessionsServerless.sln, found from the test binaries upwards.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionsServerless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SessionsServerless.sln above {AppContext.BaseDirectory}.");
    }
}
