using System.Diagnostics;

namespace SessionsServerless.Tests.Support;

/// <summary>Runs a Node.js script of the test project with the repository's node_modules.</summary>
internal static class NodeScript
{
    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    public static ProcessStartInfo StartInfo(string script, params string[] arguments)
    {
        RepositoryPaths.NodePackage("iron-webcrypto");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        info.ArgumentList.Add(ScriptPath(script));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NODE_PATH"] = RepositoryPaths.NodeModules;
        return info;
    }
}
