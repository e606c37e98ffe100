using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Json;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Json;

/// <summary>
/// Random documents, written with random member order, whitespace and escapes, canonicalize to exactly what an
/// independent reference encoder (written here from RFC 8785 §3.2) gives, and canonical output is a fixed point.
/// </summary>
public sealed class CanonicalJsonPropertyTests
{
    private static readonly char[] s_alphabet =
        "abcAZ09 _-:/\"\\\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00e9\u20ac\ufb33\uffff".ToCharArray();

    [Fact]
    public void Canonicalize_NoisySpellingOfRandomDocument_EqualsReferenceEncoding()
    {
        var gen = JsonGen.Value().SelectMany(v => Gen.Choose(0, int.MaxValue).Select(seed => (Value: v, Seed: seed)));
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), sample =>
            {
                var noisy = Noisy(sample.Value, new Random(sample.Seed));
                var expected = Reference(sample.Value);
                var actual = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(noisy));
                return Encoding.UTF8.GetString(actual) == expected
                    && CanonicalJson.Canonicalize(actual).AsSpan().SequenceEqual(actual);
            }),
            maxTest: 500);
    }

    private static string Reference(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => Quote(s),
        List<object?> items => "[" + string.Join(",", items.Select(Reference)) + "]",
        SortedList<string, object?> members => "{" + string.Join(",", members.Select(m => Quote(m.Key) + ":" + Reference(m.Value))) + "}",
        _ => throw new InvalidOperationException(),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static string Noisy(object? value, Random random)
    {
        string Ws() => random.Next(4) switch { 0 => " ", 1 => "\n\t", _ => string.Empty };
        return Ws() + (value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            long n => n.ToString(CultureInfo.InvariantCulture),
            string s => NoisyQuote(s, random),
            List<object?> items => "[" + string.Join(",", items.Select(i => Noisy(i, random))) + Ws() + "]",
            SortedList<string, object?> members => "{" + string.Join(",", members.OrderBy(_ => random.Next()).Select(m => Ws() + NoisyQuote(m.Key, random) + Ws() + ":" + Noisy(m.Value, random))) + Ws() + "}",
            _ => throw new InvalidOperationException(),
        }) + Ws();
    }

    private static string NoisyQuote(string s, Random random)
    {
        var sb = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            // A surrogate pair is escaped as a pair or not at all; half-escaped it would be two lone surrogates.
            var unit = char.IsHighSurrogate(s[i]) ? s.Substring(i++, 2) : s[i].ToString();
            var mustEscape = unit[0] is '"' or '\\' or < ' ';
            if (mustEscape || random.Next(5) == 0)
            {
                foreach (var c in unit)
                {
                    sb.Append(random.Next(2) == 0 && c == '/' ? "\\/" : "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb.Append(unit);
            }
        }

        return sb.Append('"').ToString();
    }

    private static class JsonGen
    {
        public static Gen<object?> Value() => Gen.Sized(size => Sized(Math.Min(size, 40), 0));

        private static Gen<object?> Sized(int size, int depth)
        {
            var scalar = Gen.OneOf(
                Gen.Constant<object?>(null),
                Gen.Elements(true, false).Select(b => (object?)b),
                Gen.Choose(int.MinValue, int.MaxValue).Select(n => (object?)(long)n),
                Gen.Elements(0L, 9_007_199_254_740_991L, -9_007_199_254_740_991L, -1L).Select(n => (object?)n),
                Str().Select(s => (object?)s));
            if (size <= 1 || depth >= 31)
            {
                return scalar;
            }

            var child = Sized(size / 3, depth + 1);
            var array = Gen.ListOf(child, Math.Min(size, 5)).Select(items => (object?)items.ToList());
            var obj = Gen.ListOf(Str().Zip(child), Math.Min(size, 5)).Select(pairs =>
            {
                var members = new SortedList<string, object?>(StringComparer.Ordinal);
                foreach (var (key, v) in pairs)
                {
                    members.TryAdd(key, v);
                }

                return (object?)members;
            });
            return Gen.Frequency((2, scalar), (1, array), (1, obj));
        }

        private static Gen<string> Str() =>
            Gen.OneOf(
                    Gen.Elements(s_alphabet).Select(c => c.ToString()),
                    Gen.Constant("\ud83d\ude02"),
                    Gen.Constant("\U0010FFFF"))
                .ListOf(6)
                .Select(parts => string.Concat(parts));
    }
}
