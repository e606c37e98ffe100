using Registry.Testing;

namespace Registry.Configuration.Tests;

public sealed class PathsTests
{
    [Fact]
    public void RepoRoot_FromTestOutput_HoldsSolution() =>
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "Registry.sln")));
}
