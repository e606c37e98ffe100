namespace Registry.Api.Tests.Ops;

/// <summary>
/// ops/backup.sh around ronctl: the copy is verified before it gets its final name, a failed backup
/// leaves nothing behind, rotates nothing and exits with ronctl's code, rotation drops only old backups
/// beyond the newest ones, and the trust roots reach both ronctl commands.
/// ronctl is a stand-in here (RONCTL) that copies the directory and checks a marker file, so these
/// tests pin the script's own logic; the real `ronctl backup|verify` runs in ops/smoke.sh.
/// </summary>
public sealed class BackupScriptTests
{
    private const string StubRonctl = """
        #!/usr/bin/env bash
        set -euo pipefail
        echo "$*" >> "$(dirname "$0")/calls"
        case "$1" in
          backup) mkdir -p "$5"; cp -a "$3/." "$5/" ;;
          verify) [ -f "$3/chain.ok" ] && [ ! -f "$3/corrupt" ] || exit 7 ;;
          *) exit 64 ;;
        esac
        """;

    [Fact]
    public async Task Backup_CopiesVerifiesThenRenames_AndRotatesOldBackupsBeyondTheNewest()
    {
        var (dir, data, dest) = Setup();
        var old = new[] { "20200101T000000Z", "20200102T000000Z", "20200103T000000Z", "20200104T000000Z", "20200105T000000Z" };
        var recent = DateTime.UtcNow.AddDays(-1).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var stamp in old.Append(recent))
        {
            Directory.CreateDirectory(Path.Combine(dest, "svc-registry-" + stamp));
        }

        var (exit, stdout, stderr) = await RunBackupAsync(dir, data, dest, "--keep-days", "7", "--keep-min", "4");
        Assert.True(exit == 0, stdout + stderr);

        var kept = Directory.GetDirectories(dest).Select(Path.GetFileName).Order().ToList();
        var fresh = Assert.Single(kept, k => !old.Any(o => k!.EndsWith(o, StringComparison.Ordinal)) && !k!.EndsWith(recent, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(dest, fresh!, "chain.ok")), "the backup is not a copy of the data directory");
        // Newest four kept whatever their age (the new one, the recent one, the two newest old ones); older old ones rotated.
        Assert.Equal(new[] { "svc-registry-" + old[3], "svc-registry-" + old[4], "svc-registry-" + recent, fresh }.Order(), kept);
        var calls = File.ReadAllLines(Path.Combine(dir, "calls"));
        Assert.Equal(2, calls.Length);
        Assert.StartsWith($"backup --data-dir {data} --destination {dest}/.partial-", calls[0], StringComparison.Ordinal);
        Assert.StartsWith($"verify --data-dir {dest}/.partial-", calls[1], StringComparison.Ordinal);
        // No --trust-roots: ronctl takes the configuration's trust roots and pin itself.
        Assert.All(calls, c => Assert.DoesNotContain("--trust-roots", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_WithTrustRoots_PassesThemAndThePinToBackupAndVerify()
    {
        var (dir, data, dest) = Setup();
        var roots = Path.Combine(dir, "trust-roots.json");
        File.WriteAllText(roots, "{}");

        var (exit, stdout, stderr) = await RunBackupAsync(dir, data, dest, "--trust-roots", roots, "--trust-roots-digest", "sha256:ab");

        Assert.True(exit == 0, stdout + stderr);
        var calls = File.ReadAllLines(Path.Combine(dir, "calls"));
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.EndsWith($" --trust-roots {roots} --trust-roots-digest sha256:ab", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_OfADevModeDataDirectory_VerifiesAgainstTheTrustRootsItsServiceWrote()
    {
        // A backup holds the log and a checkpoint, not dev/: the copy can only be verified with the data directory's file.
        var (dir, data, dest) = Setup();
        Directory.CreateDirectory(Path.Combine(data, "dev"));
        File.WriteAllText(Path.Combine(data, "dev", "trust-roots.json"), "{}");

        var (exit, stdout, stderr) = await RunBackupAsync(dir, data, dest);

        Assert.True(exit == 0, stdout + stderr);
        Assert.All(File.ReadAllLines(Path.Combine(dir, "calls")), c => Assert.EndsWith($" --trust-roots {data}/dev/trust-roots.json", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_WithMissingTrustRootsOrAPinAlone_RunsNoRonctl()
    {
        var (dir, data, dest) = Setup();
        var (missing, _, missingErr) = await RunBackupAsync(dir, data, dest, "--trust-roots", Path.Combine(dir, "nope.json"));
        var (pinOnly, _, pinErr) = await RunBackupAsync(dir, data, dest, "--trust-roots-digest", "sha256:ab");

        Assert.Equal(1, missing);
        Assert.Contains("do not exist", missingErr, StringComparison.Ordinal);
        Assert.Equal(64, pinOnly);
        Assert.Contains("--trust-roots-digest needs --trust-roots", pinErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "calls")));
    }

    [Fact]
    public async Task Backup_WhenVerifyFails_ExitsWithRonctlsCode_LeavesNoBackupAndRotatesNothing()
    {
        var (dir, data, dest) = Setup();
        File.WriteAllText(Path.Combine(data, "corrupt"), "x");
        var old = Path.Combine(dest, "svc-registry-20200101T000000Z");
        Directory.CreateDirectory(old);

        var (exit, _, stderr) = await RunBackupAsync(dir, data, dest, "--keep-days", "0", "--keep-min", "1");

        Assert.Equal(7, exit);
        Assert.Contains("does not verify", stderr, StringComparison.Ordinal);
        Assert.Equal([old], Directory.GetDirectories(dest));
    }

    [Fact]
    public async Task Backup_WithoutDestination_ExitsWithUsage()
    {
        var (dir, data, _) = Setup();
        var (exit, _, stderr) = await OpsTool.RunAsync("bash", [OpsTool.RepoFile("ops", "backup.sh"), "--data-dir", data], env: Env(dir));
        Assert.Equal(64, exit);
        Assert.Contains("usage: svc-registry-backup", stderr, StringComparison.Ordinal);
    }

    private static (string Dir, string Data, string Dest) Setup()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-backup-").FullName;
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "chain.ok"), "log and checkpoints");
        var ronctl = Path.Combine(dir, "ronctl");
        File.WriteAllText(ronctl, StubRonctl.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ronctl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return (dir, data, Path.Combine(dir, "backups"));
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunBackupAsync(string dir, string data, string dest, params string[] more) =>
        OpsTool.RunAsync("bash", [OpsTool.RepoFile("ops", "backup.sh"), "--data-dir", data, "--dest", dest, .. more], env: Env(dir));

    private static Dictionary<string, string> Env(string dir) => new() { ["RONCTL"] = Path.Combine(dir, "ronctl") };
}
