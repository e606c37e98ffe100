using System.Text;
using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Tests.Json;

/// <summary>
/// RFC 8785 vectors from cyberphone/json-canonicalization testdata/ @ 19d51d7f (tests/Registry.Core.Tests/Vectors/jcs).
/// A vector whose input holds only integers must reproduce output/NAME.json byte for byte (and
/// outhex/NAME.txt); a vector with a fraction or exponent must be rejected with CanonicalJsonException,
/// because the registry's profile is integers-only. Which is which is decided by scanning the input's numbers.
/// </summary>
public sealed class JcsVectorTests
{
    private static string Folder => Support.Vectors.PathOf("jcs");

    public static TheoryData<string> IntegerOnlyVectors() => Vectors(nonInteger: false);

    public static TheoryData<string> NonIntegerVectors() => Vectors(nonInteger: true);

    [Theory]
    [MemberData(nameof(IntegerOnlyVectors))]
    public void Canonicalize_IntegerOnlyVector_ReproducesOutputByteForByte(string name)
    {
        var input = File.ReadAllBytes(Path.Combine(Folder, "input", name + ".json"));
        var expected = File.ReadAllBytes(Path.Combine(Folder, "output", name + ".json"));

        var canonical = CanonicalJson.Canonicalize(input);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(canonical));
        Assert.Equal(expected, canonical);
        Assert.Equal(OutHex(name), canonical);
    }

    [Theory]
    [MemberData(nameof(IntegerOnlyVectors))]
    public void Canonicalize_IntegerOnlyVectorOutput_IsAFixedPoint(string name)
    {
        var expected = File.ReadAllBytes(Path.Combine(Folder, "output", name + ".json"));
        Assert.Equal(expected, CanonicalJson.Canonicalize(expected));
    }

    [Theory]
    [MemberData(nameof(NonIntegerVectors))]
    public void Canonicalize_VectorWithFractionOrExponent_IsRejectedClearly(string name)
    {
        var input = File.ReadAllBytes(Path.Combine(Folder, "input", name + ".json"));

        var error = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(input));

        Assert.Contains("only integers", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NonIntegerVectors))]
    [MemberData(nameof(IntegerOnlyVectors))]
    public void OutHex_EveryVector_MatchesOutputFile(string name) =>
        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, "output", name + ".json")), OutHex(name));

    [Fact]
    public void Scan_UpstreamVectors_SplitAsExpected()
    {
        // The testdata README names values.json and weird.json as the non-integer vectors; scanning shows
        // weird.json holds no numbers at all and structures.json holds 56.0. The scan is what the tests use.
        Assert.Equal(["arrays", "french", "unicode", "weird"], Names(nonInteger: false));
        Assert.Equal(["structures", "values"], Names(nonInteger: true));
    }

    private static byte[] OutHex(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, "outhex", name + ".txt"));
        return text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16)).ToArray();
    }

    private static TheoryData<string> Vectors(bool nonInteger)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(nonInteger))
        {
            data.Add(name);
        }

        return data;
    }

    private static List<string> Names(bool nonInteger) =>
        Directory.GetFiles(Path.Combine(Folder, "input"), "*.json")
            .Where(path => HasNonIntegerNumber(File.ReadAllBytes(path)) == nonInteger)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool HasNonIntegerNumber(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number && reader.ValueSpan.IndexOfAny(".eE"u8) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
