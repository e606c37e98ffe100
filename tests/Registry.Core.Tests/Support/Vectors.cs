using Registry.Testing;

namespace Registry.Core.Tests.Support;

/// <summary>The conformance vectors kept in the repository (tests/Registry.Core.Tests/Vectors; its README.md says where each comes from).</summary>
internal static class Vectors
{
    /// <summary>The Vectors folder of the checkout (read in place, not copied to the test output).</summary>
    public static string Root => Path.Combine(TestPaths.RepoRoot, "tests", "Registry.Core.Tests", "Vectors");

    /// <summary>A file or folder below <see cref="Root"/>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
