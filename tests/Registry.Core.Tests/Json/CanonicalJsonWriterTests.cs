using System.Text;
using Registry.Core.Json;

namespace Registry.Core.Tests.Json;

public sealed class CanonicalJsonWriterTests
{
    [Fact]
    public void Write_NestedDocument_PlacesCommasAndColons()
    {
        var writer = new CanonicalJsonWriter(1);
        writer.WriteStartObject();
        writer.WritePropertyName("a");
        writer.WriteStartArray();
        writer.WriteInteger(1);
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteStartArray();
        writer.WriteEndArray();
        writer.WriteNull();
        writer.WriteEndArray();
        writer.WriteBoolean("b" == "b");
        writer.WriteString("s", "x");
        writer.WriteInteger("n", -5);
        writer.WritePropertyName("c");
        writer.WriteCanonical("{\"z\":[]}"u8);
        writer.WriteEndObject();

        Assert.Equal("{\"a\":[1,{},[],null],true,\"s\":\"x\",\"n\":-5,\"c\":{\"z\":[]}}", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Theory]
    [InlineData(9_007_199_254_740_992L)]
    [InlineData(-9_007_199_254_740_992L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void WriteInteger_OutsideSafeRange_Throws(long value) =>
        Assert.Throws<CanonicalJsonException>(() => new CanonicalJsonWriter().WriteInteger(value));

    // Attribute arguments and xunit's case serialization both go through UTF-8, which cannot carry a lone
    // surrogate: the strings live in code and the cases are indexes.
    private static readonly string[] s_unpairedSurrogates = ["\ud800", "a\udc00", "\ude02\ud83d", "x\ud83d"];

    public static TheoryData<int> UnpairedSurrogates() => [.. Enumerable.Range(0, s_unpairedSurrogates.Length)];

    [Theory]
    [MemberData(nameof(UnpairedSurrogates))]
    public void WriteString_UnpairedSurrogate_Throws(int index)
    {
        var value = s_unpairedSurrogates[index];
        Assert.Contains(value, char.IsSurrogate);
        Assert.Throws<CanonicalJsonException>(() => new CanonicalJsonWriter().WriteString(value));
    }

    [Theory]
    [MemberData(nameof(UnpairedSurrogates))]
    public void WritePropertyName_UnpairedSurrogate_Throws(int index) =>
        Assert.Throws<CanonicalJsonException>(() =>
        {
            var writer = new CanonicalJsonWriter();
            writer.WriteStartObject();
            writer.WritePropertyName(s_unpairedSurrogates[index]);
        });

    [Theory]
    [InlineData("\u0000", "\"\\u0000\"")]
    [InlineData("\u001f", "\"\\u001f\"")]
    [InlineData("\u000b", "\"\\u000b\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    [InlineData("</script>", "\"</script>\"")]
    [InlineData("\ud83d\ude02", "\"\ud83d\ude02\"")]
    public void WriteString_SpecialCharacters_EscapedAsEcmaScript(string value, string expected)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteString(value);
        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
    }
}
