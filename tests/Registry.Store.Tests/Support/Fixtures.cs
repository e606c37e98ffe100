using Registry.Testing;

namespace Registry.Store.Tests.Support;

/// <summary>Reads the golden-bytes fixtures in tests/Registry.Store.Tests/Fixtures (built by make_fixtures.py).</summary>
internal static class Fixtures
{
    public static byte[] ReadHex(string name) =>
        Convert.FromHexString(string.Concat(File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "Registry.Store.Tests", "Fixtures", name))));
}
