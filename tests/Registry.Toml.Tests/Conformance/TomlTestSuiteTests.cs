using System.Text.Json;

namespace Registry.Toml.Tests.Conformance;

/// <summary>
/// Runs every case of the toml-test TOML 1.0.0 suite (toml-lang/toml-test @ d168c2a4, in
/// ../shared/testdata/toml-test). Each file is its own test case, named by its relative path; the
/// .toml files are given to the parser as raw bytes.
/// </summary>
public sealed class TomlTestSuiteTests
{
    public static TheoryData<string> ValidCases => TomlTestCorpus.Cases("valid");

    public static TheoryData<string> InvalidCases => TomlTestCorpus.Cases("invalid");

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Parse_ValidCorpusFile_MatchesTaggedJson(string file)
    {
        var bytes = File.ReadAllBytes(TomlTestCorpus.FullPath(file));
        TomlTable document;
        try
        {
            document = TomlParser.Parse(bytes, file);
        }
        catch (TomlException e)
        {
            Assert.Fail($"{file}: rejected a valid document: {e.Message}");
            return;
        }

        using var expected = JsonDocument.Parse(File.ReadAllBytes(TomlTestCorpus.FullPath(Path.ChangeExtension(file, ".json"))));
        var difference = TaggedJson.Difference(expected.RootElement, document);
        Assert.True(difference is null, $"{file}: {difference}\nDecoded as: {TaggedJson.Encode(document).ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Parse_InvalidCorpusFile_ThrowsTomlExceptionWithPosition(string file)
    {
        var bytes = File.ReadAllBytes(TomlTestCorpus.FullPath(file));
        var error = Record.Exception(() => TomlParser.Parse(bytes, file));

        Assert.True(error is not null, $"{file}: accepted an invalid document");
        var toml = Assert.IsType<TomlException>(error);
        Assert.True(toml.Line >= 1 && toml.Column >= 1, $"{file}: error without a position: {toml.Message}");
    }

    [Fact]
    public void Corpus_OnDisk_MatchesUpstreamFileList()
    {
        var listed = File.ReadAllLines(Path.Combine(TomlTestCorpus.Root, "files-toml-1.0.0"))
            .Where(l => l.EndsWith(".toml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var onDisk = TomlTestCorpus.TomlFiles("valid").Concat(TomlTestCorpus.TomlFiles("invalid")).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(listed, onDisk);
        Assert.Equal(210, TomlTestCorpus.TomlFiles("valid").Count);
        Assert.Equal(499, TomlTestCorpus.TomlFiles("invalid").Count);
    }
}
