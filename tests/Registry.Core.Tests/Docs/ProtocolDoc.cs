using System.Text.RegularExpressions;
using Registry.Testing;

namespace Registry.Core.Tests.Docs;

/// <summary>
/// The labelled examples of docs/PROTOCOL.md: fenced blocks whose info string is <c>LANG example:NAME</c>.
/// A block's value is the text between the fences, without the final newline (json blocks are exact bytes).
/// </summary>
internal sealed partial class ProtocolDoc
{
    private ProtocolDoc(string path, Dictionary<string, (string Lang, string Text)> blocks)
    {
        Path = path;
        Blocks = blocks;
    }

    public static string DefaultPath => System.IO.Path.Combine(TestPaths.RepoRoot, "docs", "PROTOCOL.md");

    public string Path { get; }

    public IReadOnlyDictionary<string, (string Lang, string Text)> Blocks { get; }

    public string this[string name] => Blocks.TryGetValue(name, out var block)
        ? block.Text
        : throw new KeyNotFoundException($"docs/PROTOCOL.md has no example block '{name}'.");

    public static ProtocolDoc Load(string? path = null)
    {
        path ??= DefaultPath;
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var blocks = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (Match m in Block().Matches(text))
        {
            if (m.Groups["body"].Value.Contains("\n```", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"docs/PROTOCOL.md: example block '{m.Groups["name"].Value}' is empty or unterminated.");
            }

            if (!blocks.TryAdd(m.Groups["name"].Value, (m.Groups["lang"].Value, m.Groups["body"].Value)))
            {
                throw new InvalidDataException($"docs/PROTOCOL.md has two example blocks named '{m.Groups["name"].Value}'.");
            }
        }

        return new ProtocolDoc(path, blocks);
    }

    [GeneratedRegex(@"^```(?<lang>[a-z]+) example:(?<name>[a-z0-9.-]+)\n(?<body>.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
