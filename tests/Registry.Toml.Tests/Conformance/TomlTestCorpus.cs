using Registry.Testing;

namespace Registry.Toml.Tests.Conformance;

/// <summary>
/// The toml-test 1.0.0 suite (toml-lang/toml-test @ d168c2a4, MIT) in ../shared/testdata/toml-test,
/// read in place: the vectors are never copied into the repository.
/// </summary>
/// <remarks>
/// TEMPORARY (issue 13): the last reader of ../shared. These corpus tests go with the project's own TOML parser when
/// Tomlyn replaces it, so the corpus is deliberately not vendored; until then this private path stands in for the
/// removed TestPaths.SharedTestData.
/// </remarks>
internal static class TomlTestCorpus
{
    /// <summary>The folder holding valid/, invalid/ and files-toml-1.0.0.</summary>
    public static string Root => Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "testdata", "toml-test"));

    /// <summary>Every .toml file under <paramref name="folder"/> (valid or invalid), as sorted paths relative to <see cref="Root"/> with '/' separators.</summary>
    public static TheoryData<string> Cases(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in TomlFiles(folder))
        {
            data.Add(file);
        }

        return data;
    }

    /// <summary>Sorted relative paths of the .toml files under <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> TomlFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.toml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
