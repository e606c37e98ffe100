using System.Reflection;

namespace Registry.Testing;

/// <summary>Locates the repository root from any test output folder; test data lives inside the repository.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The checkout's root folder (the one holding Registry.sln).</summary>
    public static string RepoRoot => s_repoRoot.Value;

    private static string FindRepoRoot()
    {
        var fromBuild = typeof(TestPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (fromBuild is not null && File.Exists(Path.Combine(fromBuild, "Registry.sln")))
        {
            return Path.GetFullPath(fromBuild);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Registry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Registry.sln not found above " + AppContext.BaseDirectory);
    }
}
