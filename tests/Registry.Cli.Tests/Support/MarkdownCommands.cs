using System.Text.RegularExpressions;

namespace Registry.Cli.Tests.Support;

/// <summary>
/// The <c>ronctl …</c> commands of a Markdown document, in document order, split into arguments: lines of fenced
/// code blocks (of <c>language</c> only, when given) and, when no language is given, inline code spans too.
/// </summary>
internal static partial class MarkdownCommands
{
    public static List<string[]> Extract(string path, string language = "")
    {
        var commands = new List<string[]>();
        var inBlock = false;
        var take = false;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                take = !inBlock && (language.Length == 0 || line[3..].Trim() == language);
                inBlock = !inBlock;
                continue;
            }

            if (inBlock && take && line.StartsWith("ronctl ", StringComparison.Ordinal))
            {
                commands.Add(Split(line));
            }
            else if (!inBlock && language.Length == 0)
            {
                commands.AddRange(InlineSpan().Matches(line).Select(m => Split(m.Groups[1].Value)));
            }
        }

        return commands;
    }

    private static string[] Split(string line) => [.. Words().Matches(line).Select(m => m.Value.Trim('"')).Skip(1)];

    [GeneratedRegex("`(ronctl [^`]+)`")]
    private static partial Regex InlineSpan();

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Words();
}
