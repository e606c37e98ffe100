using System.Text;
using Registry.Core.Json;

namespace Registry.Core.Tests.Json;

/// <summary>The registry's JSON profile (SPEC §1): RFC 8785 output, integers within ±(2^53-1), strict input.</summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("[{\"x\":{\"b\":true,\"b\":false}}]")]
    [InlineData("{\"a\":{},\"b\":1,\"a\":null}")]
    public void Parse_DuplicateKey_Throws(string json) => AssertRejected(json);

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"k\":", "}")]
    public void Parse_NestingExactly32_IsAccepted(string open, string close)
    {
        var json = Nest(open, close, 32);
        var canonical = Canonicalize(json);
        Assert.Equal(Nest(open, close, 32), canonical);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"k\":", "}")]
    public void Parse_Nesting33_Throws(string open, string close) => AssertRejected(Nest(open, close, 33));

    [Fact]
    public void Parse_MixedNestingExactly32_IsAcceptedAnd33Throws()
    {
        var sb32 = new StringBuilder();
        for (var i = 0; i < 16; i++)
        {
            sb32.Append("{\"a\":[");
        }

        var json32 = sb32 + "1" + string.Concat(Enumerable.Repeat("]}", 16));
        Assert.Equal(json32, Canonicalize(json32));
        AssertRejected("[" + json32 + "]");
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xff, 0x22 })] // 0xFF never appears in UTF-8
    [InlineData(new byte[] { 0x22, 0xc3, 0x22 })] // truncated two-byte sequence
    [InlineData(new byte[] { 0x22, 0xc0, 0xaf, 0x22 })] // overlong '/'
    [InlineData(new byte[] { 0x22, 0xed, 0xa0, 0x80, 0x22 })] // UTF-8-encoded surrogate U+D800
    [InlineData(new byte[] { 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22 })] // above U+10FFFF
    [InlineData(new byte[] { 0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d })] // in a member name
    [InlineData(new byte[] { 0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d })]
    [InlineData(new byte[] { 0x5b, 0x7b, 0x22, 0xed, 0xbf, 0xbf, 0x22, 0x3a, 0x31, 0x7d, 0x5d })]
    public void Parse_InvalidUtf8_Throws(byte[] utf8) =>
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(utf8));

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00\"")]
    [InlineData("\"a\\ud83db\"")]
    [InlineData("\"\\ude02\\ud83d\"")]
    [InlineData("\"\\ud83d\\ud83d\"")]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"x\\udfff\":1}")]
    [InlineData("[{\"a\":{\"\\udbff\":null}}]")]
    public void Parse_LoneSurrogateEscape_Throws(string json) => AssertRejected(json);

    [Theory]
    [InlineData("-0")]
    [InlineData("[-0]")]
    [InlineData("1.0")]
    [InlineData("0.5")]
    [InlineData("1e2")]
    [InlineData("1E2")]
    [InlineData("1e+2")]
    [InlineData("-1.5e-3")]
    [InlineData("-0.0")]
    [InlineData("9007199254740992")] // 2^53
    [InlineData("-9007199254740992")]
    [InlineData("18446744073709551616")]
    [InlineData("{\"n\":100000000000000000000}")]
    public void Parse_NumberOutsideProfile_Throws(string json) => AssertRejected(json);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("9007199254740991")]
    [InlineData("-9007199254740991")]
    [InlineData("[1,-2,30]")]
    public void Canonicalize_IntegerWithinRange_IsKept(string json) => Assert.Equal(json, Canonicalize(json));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1 2")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("/*c*/1")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("\"a\u0001b\"")]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData("\"\\x41\"")]
    public void Parse_NotStrictJson_Throws(string json) => AssertRejected(json);

    [Fact]
    public void Parse_ByteOrderMark_Throws() =>
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(new byte[] { 0xef, 0xbb, 0xbf, 0x31 }));

    [Theory]
    [InlineData(" { \"b\" : 1 ,\n\t\"a\" : [ ] } ", "{\"a\":[],\"b\":1}")]
    [InlineData("{\"b\":{\"d\":1,\"c\":2},\"a\":null}", "{\"a\":null,\"b\":{\"c\":2,\"d\":1}}")]
    [InlineData("[\"\\u0041\\/\\u20ac\"]", "[\"A/\u20ac\"]")]
    [InlineData("\"\\u000f\\u001f\\u007f\\u0080\"", "\"\\u000f\\u001f\u007f\u0080\"")]
    [InlineData("\"\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\b\\f\\n\\r\\t\\\"\\\\\"")]
    [InlineData("\"\\u0008\\u000C\\u000a\"", "\"\\b\\f\\n\"")]
    [InlineData("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2,\"\\u00f6\":3}", "{\"\u00f6\":3,\"\ud83d\ude02\":2,\"\ufb33\":1}")]
    [InlineData("[true,false,null,\"\"]", "[true,false,null,\"\"]")]
    public void Canonicalize_Input_GivesRfc8785Form(string json, string expected) => Assert.Equal(expected, Canonicalize(json));

    [Fact]
    public void Canonicalize_MemberNamesSortedByUtf16CodeUnits_NotByCodePoints()
    {
        // U+FB33 (one unit 0xFB33) sorts after U+1F602 (units 0xD83D 0xDE02) in UTF-16 order, although its
        // code point is smaller: RFC 8785 §3.2.3 sorts by UTF-16 code units.
        var canonical = Canonicalize("{\"\\ufb33\":0,\"\\ud83d\\ude02\":0}");
        Assert.True(canonical.IndexOf('\ud83d', StringComparison.Ordinal) < canonical.IndexOf('\ufb33', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("[1.5]")]
    [InlineData("{\"n\":-0}")]
    [InlineData("{\"n\":1e2}")]
    [InlineData("9007199254740992")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"\\udc00\":1}")]
    public void CanonicalizeElement_FromUnvalidatedDocument_RefusesWhatParseWouldRefuse(string json)
    {
        // Callers may hand Write/Canonicalize an element from their own JsonDocument: the output must still be
        // canonical JSON that Parse reads back, or an exception.
        using var document = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(document.RootElement));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xff, 0x22 })]
    [InlineData(new byte[] { 0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d })]
    public void CanonicalizeElement_InvalidUtf8FromUnvalidatedDocument_Throws(byte[] utf8)
    {
        using var document = System.Text.Json.JsonDocument.Parse(utf8);
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(document.RootElement));
    }

    [Fact]
    public void CanonicalizeElement_NestedDeeperThan32FromUnvalidatedDocument_Throws()
    {
        using var ok = System.Text.Json.JsonDocument.Parse(Nest("[", "]", 32), new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
        Assert.Equal(Nest("[", "]", 32), Encoding.UTF8.GetString(CanonicalJson.Canonicalize(ok.RootElement)));
        using var deep = System.Text.Json.JsonDocument.Parse(Nest("[", "]", 33), new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(deep.RootElement));
    }

    internal static string Canonicalize(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    private static void AssertRejected(string json) =>
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    private static string Nest(string open, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
}
