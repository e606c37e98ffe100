using System.Security.Cryptography;
using Registry.Core.Tests.Support;
using Registry.Testing;

namespace Registry.Core.Tests;

/// <summary>
/// The vendored vectors are the upstream bytes: Vectors/SHA256SUMS (sha256sum's format) names every file below
/// Vectors/ with its digest, and each file still has it. Catches an edited vector, a line-ending rewrite, a file
/// added or dropped without updating the list, and any test data read from outside the repository.
/// </summary>
public sealed class VectorFilesTests
{
    private static readonly string[] s_notListed = ["SHA256SUMS", "README.md", ".gitattributes"];

    [Fact]
    public void Sha256Sums_EveryVectorFile_HasItsListedDigest()
    {
        var listed = ReadSums();
        Assert.NotEmpty(listed);
        Assert.All(listed, entry =>
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Vectors.PathOf(entry.Key.Split('/')))));
            Assert.True(entry.Value == actual, $"{entry.Key}: SHA256SUMS says {entry.Value}, the file hashes to {actual}");
        });
    }

    [Fact]
    public void Sha256Sums_ListsExactlyTheFilesInTheFolder()
    {
        var onDisk = Directory.EnumerateFiles(Vectors.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Vectors.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !s_notListed.Contains(f, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, ReadSums().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sha256Sums_CoverEveryVectorSetTheTestsRead()
    {
        var listed = ReadSums().Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Contains("ed25519/wycheproof_ed25519_test.json", listed);
        Assert.Contains("ed25519/rfc8032_vectors.json", listed);
        Assert.Contains("ed25519/LICENSE.wycheproof", listed);
        Assert.Contains("jcs/LICENSE", listed);
        Assert.Equal(6, listed.Count(f => f.StartsWith("jcs/input/", StringComparison.Ordinal)));
        Assert.Contains("merkle/LICENSE.transparency-dev", listed);
        Assert.Contains("merkle/rfc6962_tree.json", listed);
        Assert.Contains("note/sumdb_note_vectors.json", listed);
        Assert.Contains("note/LICENSE.golang-mod", listed);
        Assert.Equal(98, listed.Count(f => f.StartsWith("merkle/inclusion/", StringComparison.Ordinal)));
        Assert.Equal(98, listed.Count(f => f.StartsWith("merkle/consistency/", StringComparison.Ordinal)));
        Assert.StartsWith(TestPaths.RepoRoot, Path.GetFullPath(Vectors.Root), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ReadSums()
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Vectors.PathOf("SHA256SUMS")))
        {
            // "<64 hex>  ./relative/path" (text mode, two spaces), exactly as `sha256sum` writes it.
            var parts = line.Split("  ", 2);
            Assert.True(parts.Length == 2 && parts[0].Length == 64 && parts[1].StartsWith("./", StringComparison.Ordinal), $"malformed SHA256SUMS line: '{line}'");
            sums.Add(parts[1][2..], parts[0]);
        }

        return sums;
    }
}
