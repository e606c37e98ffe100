using System.Text.Json;

namespace Registry.Toml.Tests.Conformance;

/// <summary>The comparer the corpus tests rely on must see real differences, or every valid case would pass vacuously.</summary>
public sealed class TaggedJsonTests
{
    [Theory]
    [InlineData("a = 1", """{"a": {"type": "integer", "value": "2"}}""")]
    [InlineData("a = 1", """{"a": {"type": "float", "value": "1"}}""")]
    [InlineData("a = 1", """{"b": {"type": "integer", "value": "1"}}""")]
    [InlineData("a = 1\nb = 2", """{"a": {"type": "integer", "value": "1"}}""")]
    [InlineData("a = 'x'", """{"a": {"type": "string", "value": "X"}}""")]
    [InlineData("a = [1]", """{"a": []}""")]
    [InlineData("a = [1]", """{"a": {"x": {"type": "integer", "value": "1"}}}""")]
    [InlineData("a = nan", """{"a": {"type": "float", "value": "0"}}""")]
    [InlineData("a = 1.5", """{"a": {"type": "float", "value": "nan"}}""")]
    [InlineData("a = 1979-05-27T07:32:00Z", """{"a": {"type": "datetime", "value": "1979-05-27T07:32:00.001Z"}}""")]
    [InlineData("a = 1979-05-27T07:32:00Z", """{"a": {"type": "datetime-local", "value": "1979-05-27T07:32:00"}}""")]
    [InlineData("a = 07:32:00", """{"a": {"type": "time-local", "value": "07:32:01"}}""")]
    public void Difference_MismatchedDocument_IsReported(string toml, string json)
    {
        using var expected = JsonDocument.Parse(json);
        Assert.NotNull(TaggedJson.Difference(expected.RootElement, TomlParser.Parse(toml)));
    }

    [Theory]
    [InlineData("a = -0.0", """{"a": {"type": "float", "value": "0"}}""")]
    [InlineData("a = -nan", """{"a": {"type": "float", "value": "nan"}}""")]
    [InlineData("a = +inf", """{"a": {"type": "float", "value": "inf"}}""")]
    [InlineData("a = 1979-05-27 07:32:00+01:00", """{"a": {"type": "datetime", "value": "1979-05-27T06:32:00z"}}""")]
    [InlineData("a = 07:32:00.999999", """{"a": {"type": "time-local", "value": "07:32:00.999"}}""")]
    [InlineData("a = true", """{"a": {"type": "bool", "value": "TRUE"}}""")]
    public void Difference_EquivalentByUpstreamRules_IsNull(string toml, string json)
    {
        using var expected = JsonDocument.Parse(json);
        Assert.Null(TaggedJson.Difference(expected.RootElement, TomlParser.Parse(toml)));
    }
}
