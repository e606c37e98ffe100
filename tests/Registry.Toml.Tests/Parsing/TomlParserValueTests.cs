using System.Text;

namespace Registry.Toml.Tests.Parsing;

/// <summary>Values the toml-test corpus does not pin down: ranges, precision, normalisation and the value model.</summary>
public sealed class TomlParserValueTests
{
    [Theory]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("0x7FFF_FFFF_FFFF_FFFF", long.MaxValue)]
    [InlineData("0o777_777_777_777_777_777_777", long.MaxValue)]
    [InlineData("0b1111111111111111111111111111111111111111111111111111111111111111", -1L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("1_000", 1000L)]
    public void Parse_IntegerAtRangeEdge_ReturnsExactValue(string literal, long expected)
    {
        if (expected == -1L)
        {
            // 64 one-bits is 2^64 - 1, which does not fit in a signed 64-bit integer.
            Assert.Throws<TomlException>(() => TomlParser.Parse($"v = {literal}"));
            return;
        }

        Assert.Equal(expected, Assert.IsType<TomlInteger>(TomlParser.Parse($"v = {literal}")["v"]).Value);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("0x8000000000000000")]
    [InlineData("99999999999999999999999")]
    public void Parse_IntegerOutOfRange_ThrowsWithRangeMessage(string literal)
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse($"v = {literal}"));
        Assert.Contains("out of range for a 64-bit signed integer", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 5), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_FloatBeyondDoubleRange_Throws()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("v = 1e400"));
        Assert.Contains("out of range for a 64-bit float", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NegativeZeroFloat_KeepsSign()
    {
        var value = Assert.IsType<TomlFloat>(TomlParser.Parse("v = -0.0")["v"]).Value;
        Assert.True(double.IsNegative(value) && value == 0);
    }

    [Fact]
    public void Parse_FractionBeyondTicks_TruncatesWithoutRounding()
    {
        var doc = TomlParser.Parse("t = 23:59:59.99999999999\nd = 1999-12-31T23:59:59.999999999Z");

        Assert.Equal(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_999)), Assert.IsType<TomlLocalTime>(doc["t"]).Value);
        var odt = Assert.IsType<TomlOffsetDateTime>(doc["d"]);
        Assert.Equal(1999, odt.DateTime.Year);
        Assert.Equal(9_999_999, odt.DateTime.Ticks % TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void Parse_OffsetBeyondFourteenHours_KeepsValueButNotDateTimeOffset()
    {
        var odt = Assert.IsType<TomlOffsetDateTime>(TomlParser.Parse("d = 2000-01-01T00:00:00+23:59")["d"]);

        Assert.Equal(new TimeSpan(23, 59, 0), odt.Offset);
        Assert.False(odt.TryGetDateTimeOffset(out _));
        Assert.Throws<OverflowException>(() => odt.ToDateTimeOffset());
        Assert.Equal("2000-01-01T00:00:00+23:59", odt.ToString());
    }

    [Fact]
    public void Parse_OffsetDateTime_ConvertsToSameInstant()
    {
        var odt = Assert.IsType<TomlOffsetDateTime>(TomlParser.Parse("d = 1979-05-27T00:32:00.999-07:00")["d"]);

        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, 999, TimeSpan.FromHours(-7)), odt.ToDateTimeOffset());
        Assert.Equal("1979-05-27T00:32:00.999-07:00", odt.ToString());
    }

    [Theory]
    [InlineData("d = 0000-01-01", "year 0000")]
    [InlineData("d = 2024-01-01T23:59:60Z", "second 60")]
    public void Parse_DateTimeOutsideDotNetRange_ThrowsNamingField(string toml, string fragment)
    {
        Assert.Contains(fragment, Assert.Throws<TomlException>(() => TomlParser.Parse(toml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultilineStringsWithCrlf_NormaliseToLf()
    {
        var doc = TomlParser.Parse(Encoding.UTF8.GetBytes("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''\r\nthree\r\nfour'''\r\n"));

        Assert.Equal("one\ntwo", doc["a"].ToString());
        Assert.Equal("three\nfour", doc["b"].ToString());
    }

    [Fact]
    public void Parse_LineEndingBackslash_TrimsWhitespaceAndNewlines()
    {
        var doc = TomlParser.Parse("s = \"\"\"\nThe quick \\\n\n   brown \\   \n  fox\"\"\"");

        Assert.Equal("The quick brown fox", doc["s"].ToString());
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkippedAndNotCounted()
    {
        var doc = TomlParser.Parse([0xEF, 0xBB, 0xBF, .. "key = 1"u8]);

        Assert.Equal(new TomlPosition(1, 1), doc.GetKeyPosition("key"));
        Assert.Equal(new TomlPosition(1, 7), doc["key"].Position);
    }

    [Fact]
    public void Parse_StringWithUnpairedSurrogate_Throws()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("a = \"\uD800\""));
        Assert.Contains("unpaired surrogate", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 6), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_Document_KeepsKeyOrderAndPositions()
    {
        var doc = TomlParser.Parse("z = 1\n\n[server]\n  port = 8080\n  host.name = \"é\" # comment\n[[peers]]\nid = 1\n[[peers]]\nid = 2\n");

        Assert.Equal(["z", "server", "peers"], doc.Keys);
        var server = Assert.IsType<TomlTable>(doc["server"]);
        Assert.Equal(new TomlPosition(3, 1), server.Position);
        Assert.Equal(new TomlPosition(4, 3), server.GetKeyPosition("port"));
        Assert.Equal(new TomlPosition(4, 10), server["port"].Position);
        var host = Assert.IsType<TomlTable>(server["host"]);
        Assert.Equal(new TomlPosition(5, 8), host.GetKeyPosition("name"));
        Assert.Equal(new TomlPosition(5, 15), host["name"].Position);
        var peers = Assert.IsType<TomlArray>(doc["peers"]);
        Assert.True(peers.IsArrayOfTables);
        Assert.Equal([6, 8], peers.Select(p => p.Position.Line));
        Assert.Equal(2L, Assert.IsType<TomlInteger>(Assert.IsType<TomlTable>(peers[1])["id"]).Value);
    }

    [Fact]
    public void Parse_ColumnsCountCharactersNotBytes()
    {
        var doc = TomlParser.Parse("\"ключ\" = \"значение\"\nb\t=\t2");

        Assert.Equal(new TomlPosition(1, 10), doc["ключ"].Position);
        Assert.Equal(new TomlPosition(2, 5), doc["b"].Position);
    }

    [Fact]
    public void Parse_ImplicitTableDefinedLater_TakesHeaderPosition()
    {
        var doc = TomlParser.Parse("[a.b]\nx = 1\n\n[a]\ny = 2");

        Assert.Equal(new TomlPosition(4, 1), doc["a"].Position);
    }

    [Fact]
    public void Parse_HeaderAfterDottedKeysExtendedImplicitTable_Throws()
    {
        // [a.b.c] creates a.b implicitly; b.d = 1 under [a] then defines a.b by dotted keys, so [a.b] is a redefinition.
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("[a.b.c]\n[a]\nb.d = 1\n[a.b]"));
        Assert.Contains("already defined by dotted keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingAtLimit_Succeeds()
    {
        var doc = TomlParser.Parse("a = " + new string('[', 128) + new string(']', 128));
        Assert.IsType<TomlArray>(doc["a"]);
    }

    [Fact]
    public void Parse_NestingBeyondLimit_ThrowsInsteadOfOverflowingStack()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("a = " + new string('[', 100_000)));
        Assert.Contains("nested more than 128 deep", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 133), (error.Line, error.Column));
    }

    [Fact]
    public void ToString_Scalars_UseInvariantBindableText()
    {
        var doc = TomlParser.Parse("i = 0xff\nf = 5e+22\nn = -inf\nb = true\nld = 1979-05-27\nlt = 07:32:00.5\nldt = 1979-05-27T07:32:00");

        Assert.Equal(
            ["255", "5E+22", "-Infinity", "true", "1979-05-27", "07:32:00.5", "1979-05-27T07:32:00"],
            doc.Values.Select(v => v.ToString()));
    }
}
