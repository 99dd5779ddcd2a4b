using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.AspNetCore.Builder;
using SessionsServerless.Tests.Support;

namespace SessionsServerless.Tests.Naming;

/// <summary>
/// In a web project with implicit usings, <c>using SessionsServerless;</c> and any public type of every package compiles
/// without an alias: no public type of ours shares its name with a public type in a namespace the Web SDK imports
/// (that is CS0104, as <c>SessionOptions</c> once was).
/// </summary>
public sealed class ImplicitUsingsCollisionTests
{
    private static readonly string[] WebSdkImplicitNamespaces =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    [Fact]
    public void No_public_type_of_any_package_collides_with_a_type_the_web_sdk_imports()
    {
        var frameworkFolders = new[] { typeof(object).Assembly, typeof(WebApplication).Assembly }
            .Select(assembly => Path.GetDirectoryName(assembly.Location)!)
            .Distinct();
        var imported = frameworkFolders
            .SelectMany(folder => Directory.GetFiles(folder, "*.dll"))
            .SelectMany(PublicTypes)
            .Where(type => WebSdkImplicitNamespaces.Contains(type.Namespace))
            .Select(type => type.Name)
            .ToHashSet(StringComparer.Ordinal);

        var packages = PackageAssemblies();
        Assert.True(packages.Count >= 6, $"Expected every package's assembly to be built; found {packages.Count}: {string.Join(", ", packages)}.");
        var collisions = packages
            .SelectMany(PublicTypes)
            .Where(type => imported.Contains(type.Name))
            .Select(type => $"{type.Namespace}.{type.Name}")
            .ToList();

        Assert.True(collisions.Count == 0, "These public types collide with a type a web project imports implicitly: " + string.Join(", ", collisions));
    }

    [Fact]
    public void The_check_sees_a_collision_when_there_is_one()
    {
        string aspNetCoreHttp = typeof(Microsoft.AspNetCore.Http.CookieOptions).Assembly.Location;
        Assert.Contains(PublicTypes(aspNetCoreHttp), type => type is { Namespace: "Microsoft.AspNetCore.Http", Name: "CookieOptions" });
    }

    /// <summary>Every package's built assembly (src/*/bin/Release or Debug), found without loading it.</summary>
    private static List<string> PackageAssemblies()
    {
        string configuration = typeof(ImplicitUsingsCollisionTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(project => (Folder: Path.GetDirectoryName(project)!, Name: AssemblyNameOf(project)))
            .Select(project => Path.Combine(project.Folder, "bin", configuration, "net10.0", project.Name + ".dll"))
            .Where(File.Exists)
            .ToList();
    }

    private static string AssemblyNameOf(string project)
    {
        string text = File.ReadAllText(project);
        int start = text.IndexOf("<AssemblyName>", StringComparison.Ordinal);
        return start < 0
            ? Path.GetFileNameWithoutExtension(project)
            : text[(start + "<AssemblyName>".Length)..text.IndexOf("</AssemblyName>", start, StringComparison.Ordinal)];
    }

    private static IEnumerable<(string Namespace, string Name)> PublicTypes(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            return [];
        }

        var reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            return [];
        }

        var types = new List<(string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public)
            {
                continue;
            }

            // The metadata name keeps the generic arity (SessionKey`1), as the compiler tells same-named types apart.
            types.Add((reader.GetString(type.Namespace), reader.GetString(type.Name)));
        }

        return types;
    }
}
