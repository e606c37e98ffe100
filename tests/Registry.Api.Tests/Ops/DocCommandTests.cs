using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// Every shell command in the <c>bash</c> blocks of RUNBOOK.md and README.md (when present) is run by a
/// test: by ops/smoke.sh or ops/systemd-drill.sh (systemctl and journalctl, under a real systemd) as a
/// <c>doc '...'</c>, <c>doc_status N '...'</c>, <c>doc_service '...'</c> or <c>doc_follow '...'</c> line
/// with the same text, or by another named test (<see cref="s_otherTests"/>), or by CI itself
/// (<see cref="s_ciCommands"/>). A documented command that changes without its check, and a check whose
/// command is no longer documented, both fail. The <c>promql</c> blocks must pass promtool.
/// </summary>
public sealed partial class DocCommandTests
{
    private static readonly string[] s_docs = ["RUNBOOK.md", "README.md"];

    /// <summary>The scripts whose <c>doc</c> lines run documented commands.</summary>
    private static readonly string[] s_scripts = ["smoke.sh", "systemd-drill.sh"];

    /// <summary>Documented command -> the test (Class.Method) that runs exactly it.</summary>
    private static readonly Dictionary<string, string> s_otherTests = new(StringComparer.Ordinal)
    {
        [SystemdUnitTests.VerifyCommand] = $"{nameof(SystemdUnitTests)}.{nameof(SystemdUnitTests.Units_SystemdAnalyzeVerify_PassesWithoutAWarning)}",
        [SystemdUnitTests.SecurityCommand] = $"{nameof(SystemdUnitTests)}.{nameof(SystemdUnitTests.ServiceUnit_SystemdAnalyzeSecurity_ExposureAtMostTwo)}",
        ["ops/smoke.sh"] = $"{nameof(SmokeTests)}.{nameof(SmokeTests.SmokeScript_AgainstAFreshService_PassesEveryStep)}",
        [EtcdClusterScriptTests.Start] = EtcdClusterScript,
        [EtcdClusterScriptTests.Status] = EtcdClusterScript,
        [EtcdClusterScriptTests.KillMember] = EtcdClusterScript,
        [EtcdClusterScriptTests.StartMember] = EtcdClusterScript,
        [EtcdClusterScriptTests.Stop] = EtcdClusterScript,
    };

    /// <summary>
    /// Documented command -> the Registry.Cli.Tests test (Class.Method) that runs exactly it through ronctl's entry point
    /// against real processes (RUNBOOK.md 6.9's promotion commands need two nodes, and 6.12's log key rotation restarts
    /// the service with new keys, which the smoke script does not do).
    /// </summary>
    private static readonly Dictionary<string, string> s_cliTests = new(StringComparer.Ordinal)
    {
        ["ronctl --admin http://10.0.0.2:9909 replica status"] = "ReplicaCommandTests.RunbookBlueGreenProcedure_EveryCommandWorksAsWritten",
        ["ronctl --admin http://10.0.0.1:9909 replica demote"] = "ReplicaCommandTests.RunbookBlueGreenProcedure_EveryCommandWorksAsWritten",
        ["ronctl --admin http://10.0.0.2:9909 replica promote"] = "ReplicaCommandTests.RunbookBlueGreenProcedure_EveryCommandWorksAsWritten",
        ["ronctl --admin http://10.0.0.1:9909 replica status"] = "ReplicaCommandTests.RunbookBlueGreenProcedure_EveryCommandWorksAsWritten",
        ["ronctl tlog keygen --registry <registry_id> --out /etc/svc-registry/tlog-next.key"] = LogKeyRotation,
        ["ronctl registry propose --set-log-key <new_vkey>"] = LogKeyRotation,
        ["ronctl verify --trust-roots /etc/svc-registry/trust-roots.json"] = LogKeyRotation,
        ["ronctl registry verify-descriptor <id> --log-key <old_vkey> --trust-roots /etc/svc-registry/trust-roots.json"] = LogKeyRotation,
    };
    private const string LogKeyRotation = "LogKeyRotationTests.RunbookLogKeyRotation_EveryCommandWorksAsWritten";
    private const string EtcdClusterScript = $"{nameof(EtcdClusterScriptTests)}.{nameof(EtcdClusterScriptTests.Script_StartStatusLoseAMemberRestartStop_AsTheRunbookSays)}";

    /// <summary>Documented command -> what runs it in CI (.ci/run is checked to run exactly it).</summary>
    private static readonly string[] s_ciCommands = ["./test.sh"];

    [Fact]
    public void DocumentedCommands_AreEachRunByATest()
    {
        var smoke = SmokeCommands();
        var uncovered = DocumentedCommands()
            .Where(c => !smoke.Contains(c.Command) && !s_otherTests.ContainsKey(c.Command) && !s_cliTests.ContainsKey(c.Command) && !s_ciCommands.Contains(c.Command))
            .Select(c => $"{c.Where}: {c.Command}")
            .ToList();
        Assert.True(uncovered.Count == 0, "documented commands no test runs (add a doc '...' line to ops/smoke.sh or ops/systemd-drill.sh, or a test):\n" + string.Join('\n', uncovered));
    }

    [Fact]
    public void Checks_NameOnlyCommandsTheDocsStillHave()
    {
        var documented = DocumentedCommands().Select(c => c.Command).ToHashSet(StringComparer.Ordinal);
        var stale = SmokeCommands().Select(c => "ops scripts: " + c)
            .Concat(s_otherTests.Keys.Select(c => "other test: " + c))
            .Concat(s_cliTests.Keys.Select(c => "ronctl test: " + c))
            .Concat(s_ciCommands.Select(c => "CI: " + c))
            .Where(c => !documented.Contains(c[(c.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            .ToList();
        Assert.True(stale.Count == 0, "checks of commands the docs no longer print (update the doc or the check):\n" + string.Join('\n', stale));
    }

    [Fact]
    public void CiCommands_AreWhatCiRuns()
    {
        var ci = File.ReadAllLines(OpsTool.RepoFile(".ci", "run")).Select(l => l.Trim()).ToList();
        foreach (var command in s_ciCommands)
        {
            Assert.Contains("exec " + command, ci);
        }
    }

    [Fact]
    public void OtherTests_NameRealTestMethods()
    {
        var assembly = typeof(DocCommandTests).Assembly;
        foreach (var test in s_otherTests.Values)
        {
            var (type, method) = (test[..test.IndexOf('.', StringComparison.Ordinal)], test[(test.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            var found = assembly.GetTypes().Single(t => t.Name == type).GetMethod(method);
            Assert.True(found?.GetCustomAttribute<FactAttribute>() is not null, $"{test} is not a test");
        }
    }

    [Fact]
    public void CliTests_NameRealTestMethodsThatRunTheCommandsAsWritten()
    {
        foreach (var (command, test) in s_cliTests)
        {
            var (type, method) = (test[..test.IndexOf('.', StringComparison.Ordinal)], test[(test.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            var source = File.ReadAllText(OpsTool.RepoFile("tests", "Registry.Cli.Tests", type + ".cs"));
            Assert.Contains("public async Task " + method + "()", source, StringComparison.Ordinal);
            Assert.Contains("\"" + command + "\"", source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CommandExtraction_JoinsContinuations_SkipsCommentsAndOtherLanguages()
    {
        var commands = Extract("x.md", "text\n```bash\n# a comment\nfoo \\\n  --bar\n\nbaz 'q'\n```\n```yaml\nnot: a command\n```\n```bash\n  qux\n```\n", "bash").Select(c => c.Command);
        Assert.Equal(["foo --bar", "baz 'q'", "qux"], commands);
    }

    [Fact]
    public async Task PromQlBlocks_InTheDocs_PassPromtool()
    {
        var queries = s_docs.Select(d => OpsTool.RepoFile(d)).Where(File.Exists)
            .SelectMany(path => Extract(Path.GetFileName(path), File.ReadAllText(path), "promql"))
            .ToList();
        Assert.True(queries.Count >= 5, $"only {queries.Count} PromQL queries found in the docs");
        var rules = new StringBuilder("groups:\n  - name: docs\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            rules.Append("      - record: docs:query_").Append(i).Append("\n        expr: ").Append(JsonSerializer.Serialize(queries[i].Command)).Append('\n');
        }

        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-docs-").FullName, "doc-queries.yml");
        await File.WriteAllTextAsync(path, rules.ToString());
        var (exit, stdout, stderr) = await OpsTool.RunAsync("promtool", ["check", "rules", path]);
        Assert.True(exit == 0, stdout + stderr);
    }

    /// <summary>Commands of the bash blocks of every doc that exists.</summary>
    private static List<(string Where, string Command)> DocumentedCommands()
    {
        var commands = s_docs.Select(d => OpsTool.RepoFile(d)).Where(File.Exists)
            .SelectMany(path => Extract(Path.GetFileName(path), File.ReadAllText(path), "bash"))
            .ToList();
        Assert.True(commands.Count >= 20, $"only {commands.Count} commands found in RUNBOOK.md/README.md");
        return commands;
    }

    /// <summary>The lines of the fenced blocks of <paramref name="language"/>: continuations joined, comments and blank lines dropped.</summary>
    private static IEnumerable<(string Where, string Command)> Extract(string file, string markdown, string language)
    {
        var lines = markdown.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var inBlock = false;
        var pending = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line == "```" + language;
                continue;
            }

            if (!inBlock || (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#'))))
            {
                continue;
            }

            if (pending.Length == 0)
            {
                start = i + 1;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1].TrimEnd()).Append(' ');
                continue;
            }

            if (language == "promql" && i + 1 < lines.Length && lines[i + 1].Trim() is { Length: > 0 } next && !next.StartsWith('#') && !next.StartsWith("```", StringComparison.Ordinal))
            {
                // A PromQL query may span lines until a blank line.
                pending.Append(line).Append(' ');
                continue;
            }

            yield return ($"{file}:{start}", pending.Append(line).ToString().Trim());
            pending.Clear();
        }
    }

    /// <summary>
    /// The command arguments of the <c>doc</c>, <c>doc_status N</c>, <c>doc_service</c> and <c>doc_follow</c> calls in
    /// ops/smoke.sh and ops/systemd-drill.sh, as bash reads them.
    /// </summary>
    private static HashSet<string> SmokeCommands()
    {
        var commands = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in s_scripts)
        {
            var script = string.Join('\n', File.ReadAllLines(OpsTool.RepoFile("ops", name)).Where(l => !l.TrimStart().StartsWith('#')));
            var found = DocCall().Matches(script)
                .Select(m => m.Groups["sq"].Success ? m.Groups["sq"].Value : Unescape().Replace(m.Groups["dq"].Value, "$1"))
                .ToList();
            Assert.True(found.Count >= 10, $"only {found.Count} doc lines found in ops/{name}");
            commands.UnionWith(found);
        }

        return commands;
    }

    [GeneratedRegex("""\bdoc(?:_service|_follow|_status[ \t]+\d+)?[ \t]+(?:'(?<sq>[^']*)'|"(?<dq>(?:[^"\\]|\\.)*)")""")]
    private static partial Regex DocCall();

    [GeneratedRegex(@"\\([""\\$`])")]
    private static partial Regex Unescape();
}
