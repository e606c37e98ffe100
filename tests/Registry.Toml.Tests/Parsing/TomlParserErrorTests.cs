namespace Registry.Toml.Tests.Parsing;

/// <summary>Errors name the line and column of the first character that does not fit, and what was expected there.</summary>
public sealed class TomlParserErrorTests
{
    [Theory]
    [InlineData("name = \"registry\"\n\nport : 8080", 3, 6, "expected '=' after key 'port', found ':'")]
    [InlineData("[server]\nport = 80 80", 2, 11, "expected a newline or end of document after the value of key 'port', found '8'")]
    [InlineData("a = [1, 2\nb = 3", 2, 1, "expected ',' or ']' after an array element, found 'b'")]
    [InlineData("a = { x = 1\n}", 1, 12, "expected ',' or '}' in an inline table, found end of line")]
    [InlineData("s = \"abc", 1, 9, "expected '\"' to close the string, found end of document")]
    [InlineData("s = \"a\\qb\"", 1, 7, "invalid escape sequence '\\q'")]
    [InlineData("[a]\nx = 1\n[a]", 3, 2, "table [a] is already defined at line 1, column 1")]
    [InlineData("x = 1\ny = 2\nx = 3", 3, 1, "duplicate key 'x': it is already defined at line 1, column 1")]
    [InlineData("d = 2021-02-29", 1, 13, "day 29 is out of range for 2021-02: expected 01 to 28")]
    [InlineData("n = 0x_ff", 1, 7, "expected hexadecimal digits after '0x'")]
    [InlineData("v = yes", 1, 5, "expected a value, found 'yes' (strings must be in quotes)")]
    [InlineData("[a\nb = 1", 1, 3, "expected ']' to close the header after 'a', found end of line")]
    [InlineData("a = 1\r\nb = 2\rc = 3", 2, 6, "expected '\\n' after '\\r'")]
    [InlineData("# ok\n# bad \u0007", 2, 7, "control character U+0007 is not allowed in a comment")]
    public void Parse_InvalidDocument_ReportsLineColumnAndExpectation(string toml, int line, int column, string expected)
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse(toml));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}, column {column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8_ReportsPositionOfBadByte()
    {
        byte[] bytes = [.. "a = 1\nb = \"x"u8, 0xC3, 0x28, .. "\""u8];

        var error = Assert.Throws<TomlException>(() => TomlParser.Parse(bytes));

        Assert.Equal((2, 7), (error.Line, error.Column));
        Assert.Contains("invalid UTF-8 byte 0xC3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithSourceName_PrefixesMessage()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("a = \n"u8, "svc-registry.toml"));

        Assert.Equal("svc-registry.toml", error.SourceName);
        Assert.Equal("svc-registry.toml, line 1, column 5: expected a value (a string, number, boolean, date-time, array or inline table), found end of line", error.Message);
    }

    [Fact]
    public void Parse_ErrorInsideMultilineString_CountsEarlierLines()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("a = \"\"\"\nline one\nline \\z two\"\"\""));

        Assert.Equal((3, 6), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_InvisibleCharacter_NamedByCodePoint()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("a = 1\n\u00A0b = 2"));

        Assert.Contains("found U+00A0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => TomlParser.Parse((string)null!));
    }
}
