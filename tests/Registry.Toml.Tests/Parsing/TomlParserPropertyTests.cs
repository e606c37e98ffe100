using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Registry.Toml.Tests.Parsing;

/// <summary>Properties over generated documents: values written in any legal form read back exactly, and no input crashes the parser.</summary>
public sealed class TomlParserPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(1000);

    /// <summary>Any 64-bit pattern, including both extremes.</summary>
    private static readonly Gen<long> s_anyLong = Gen.OneOf(
        Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, 1L),
        Gen.CollectToArray(Enumerable.Repeat(Gen.Choose(0, 0xFFFF), 4)).Select(parts => parts.Aggregate(0L, (acc, p) => (acc << 16) | (uint)p)),
        ArbMap.Default.GeneratorFor<int>().Select(i => (long)i));

    /// <summary>Unicode scalar values, weighted towards ASCII (including controls, quotes and backslashes) but covering the BMP and astral planes.</summary>
    private static readonly Gen<string> s_anyText = Gen.Frequency(
            (6, Gen.Choose(0, 0x7F)),
            (2, Gen.Choose(0x80, 0xD7FF)),
            (1, Gen.Choose(0xE000, 0xFFFF)),
            (1, Gen.Choose(0x10000, 0x10FFFF)))
        .ListOf()
        .Select(scalars => string.Concat(scalars.Select(s => new Rune(s).ToString())));

    [Fact]
    public void Parse_IntegerInAnyRadixWithUnderscores_ReadsBackValue()
    {
        var cases = Gen.Zip(s_anyLong, Gen.Zip(Gen.Elements(10, 16, 8, 2), Gen.Choose(0, int.MaxValue)));
        Check.One(s_config, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (value, (radix, underscores)) = c;
            if (value < 0 && radix != 10)
            {
                radix = 10;
            }

            var literal = FormatInteger(value, radix, underscores);
            Assert.Equal(value, Assert.IsType<TomlInteger>(TomlParser.Parse($"v = {literal}")["v"]).Value);
        }));
    }

    [Fact]
    public void Parse_AnyStringAsEscapedBasicString_ReadsBackString()
    {
        Check.One(s_config, Prop.ForAll(s_anyText.ToArbitrary(), text =>
        {
            var doc = TomlParser.Parse($"s = \"{Escape(text)}\"\nm = \"\"\"{Escape(text)}\"\"\"");
            Assert.Equal(text, doc["s"].ToString());
            Assert.Equal(text, doc["m"].ToString());
        }));
    }

    [Fact]
    public void Parse_AnyStringAsQuotedKey_ReadsBackKey()
    {
        Check.One(s_config, Prop.ForAll(s_anyText.ToArbitrary(), text =>
        {
            var doc = TomlParser.Parse($"\"{Escape(text)}\" = 1\n[\"{Escape(text)}x\"]\n");
            Assert.Equal([text, text + "x"], doc.Keys);
        }));
    }

    [Fact]
    public void Parse_AnyLiteralSafeString_ReadsBackVerbatim()
    {
        var literalSafe = s_anyText.Select(t => new string(t.Where(c => c == '\t' || (c >= 0x20 && c != 0x7F && c != '\'')).ToArray()));
        Check.One(s_config, Prop.ForAll(literalSafe.ToArbitrary(), text =>
            Assert.Equal(text, TomlParser.Parse($"s = '{text}'")["s"].ToString())));
    }

    [Fact]
    public void Parse_AnyFiniteDouble_ReadsBackSameBits()
    {
        var doubles = s_anyLong.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite);
        Check.One(s_config, Prop.ForAll(doubles.ToArbitrary(), value =>
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
            {
                text += ".0";
            }

            var parsed = Assert.IsType<TomlFloat>(TomlParser.Parse($"f = {text}")["f"]).Value;
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(parsed));
        }));
    }

    [Fact]
    public void Parse_ArbitraryBytes_ReturnsOrThrowsTomlExceptionOnly()
    {
        var bytes = Gen.Frequency(
                (3, Gen.Elements("[]{}=.,\"'#\\\n\r\t _-+:0123456789abefinrtuxzTZ"u8.ToArray())),
                (1, Gen.Choose(0, 255).Select(b => (byte)b)))
            .ArrayOf();
        Check.One(s_config.WithMaxTest(3000), Prop.ForAll(bytes.ToArbitrary(), ParsesOrRejects));
    }

    [Fact]
    public void Parse_MutatedCorpusDocument_ReturnsOrThrowsTomlExceptionOnly()
    {
        var documents = Conformance.TomlTestCorpus.TomlFiles("valid")
            .Select(f => File.ReadAllBytes(Conformance.TomlTestCorpus.FullPath(f)))
            .ToArray();
        var mutated =
            from doc in Gen.Elements(documents)
            from edits in Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255)).ListOf()
            select Mutate(doc, edits);
        Check.One(s_config.WithMaxTest(3000), Prop.ForAll(mutated.ToArbitrary(), ParsesOrRejects));
    }

    private static void ParsesOrRejects(byte[] input)
    {
        try
        {
            TomlParser.Parse(input);
        }
        catch (TomlException e)
        {
            Assert.True(e.Line >= 1 && e.Column >= 1, e.Message);
        }
    }

    /// <summary>Applies each (position, byte) edit as a replace, insert or delete chosen by the byte's low bits.</summary>
    private static byte[] Mutate(byte[] document, List<(int Position, int Value)> edits)
    {
        var bytes = document.ToList();
        foreach (var (position, value) in edits)
        {
            var at = bytes.Count == 0 ? 0 : position % bytes.Count;
            switch (value % 3)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)value;
                    break;
                case 1:
                    bytes.Insert(at, (byte)value);
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(at);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static string FormatInteger(long value, int radix, int underscores)
    {
        var (prefix, digits) = radix switch
        {
            16 => ("0x", value.ToString("x", CultureInfo.InvariantCulture)),
            8 => ("0o", Convert.ToString(value, 8)),
            2 => ("0b", Convert.ToString(value, 2)),
            _ => (value < 0 ? "-" : string.Empty, value.ToString(CultureInfo.InvariantCulture).TrimStart('-')),
        };

        // A leading zero is only legal alone in decimal, so underscores may not follow a lone 0 there.
        var text = new StringBuilder(prefix);
        for (var i = 0; i < digits.Length; i++)
        {
            text.Append(digits[i]);
            var canSplit = i + 1 < digits.Length && !(radix == 10 && digits[0] == '0');
            if (canSplit && ((underscores >> (i % 31)) & 1) == 1)
            {
                text.Append('_');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes text as a basic-string body: quotes, backslashes and control characters escaped, mixing short and \u forms.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            escaped.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                '\r' => "\\r",
                < 0x20 or 0x7F => $"\\u{rune.Value:X4}",
                >= 0x10000 when rune.Value % 2 == 0 => $"\\U{rune.Value:X8}",
                _ => rune.ToString(),
            });
        }

        return escaped.ToString();
    }
}
