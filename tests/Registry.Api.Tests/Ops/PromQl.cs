using System.Text.RegularExpressions;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// Just enough PromQL reading for the ops checks: the metric names an expression selects, and the
/// label matchers of each selector. Function names, aggregation keywords, label lists of
/// by/without/on/ignoring/group_*, ranges and Grafana variables are not metric names.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    /// <summary>Metric names selected by <paramref name="expr"/>.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = LabelList().Replace(text, " ");
        text = Range().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match token in Identifier().Matches(text))
        {
            var name = token.Groups["name"].Value;
            var isFunction = token.Groups["call"].Success;
            if (!isFunction && !s_keywords.Contains(name.ToLowerInvariant()) && (token.Index == 0 || text[token.Index - 1] != '$'))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Each selector <c>name{label op "value", ...}</c>: the metric and its (label, op, value) matchers.</summary>
    public static IEnumerable<(string Metric, IReadOnlyList<(string Label, string Op, string Value)> Matchers)> Selectors(string expr)
    {
        foreach (Match selector in Selector().Matches(expr))
        {
            var matchers = Matcher().Matches(selector.Groups["body"].Value)
                .Select(m => (m.Groups["label"].Value, m.Groups["op"].Value, m.Groups["value"].Value))
                .ToList();
            yield return (selector.Groups["name"].Value, matchers);
        }
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelList();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"(?<![\w:.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{(?<body>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex("(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\\s*(?<op>=~|!~|!=|=)\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Matcher();
}
