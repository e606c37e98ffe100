using Registry.Api.Config;
using Registry.Configuration;
using Registry.Testing;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// ops/systemd: the real unit files pass <c>systemd-analyze verify</c> and <c>security</c>, checked
/// offline inside a temporary root laid out as ops/install.sh lays out a machine (the wrappers
/// are the real ones, so ExecStart must name the installed path), and the unit agrees with the
/// service's signals, exit codes and configuration.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string[] s_units = ["svc-registry.service", "svc-registry-backup.service", "svc-registry-backup.timer"];

    /// <summary>Run by this class with <c>--root=</c> (the temporary root) added after the verb; documented in RUNBOOK.md.</summary>
    internal const string VerifyCommand = "systemd-analyze verify --man=no /etc/systemd/system/svc-registry.service /etc/systemd/system/svc-registry-backup.service /etc/systemd/system/svc-registry-backup.timer";

    /// <summary>Run by this class with <c>--root=</c> added after the verb; documented in RUNBOOK.md.</summary>
    internal const string SecurityCommand = "systemd-analyze security --offline=yes --threshold=20 /etc/systemd/system/svc-registry.service";

    [Fact]
    public async Task Units_SystemdAnalyzeVerify_PassesWithoutAWarning()
    {
        var (exit, stdout, stderr) = await RunInRootAsync(VerifyCommand);
        Assert.True(exit == 0 && stderr.Length == 0 && stdout.Length == 0, $"exit {exit}\n{stdout}{stderr}");
    }

    [Fact]
    public async Task Units_SystemdAnalyzeVerify_FailsWhenExecStartIsNotInstalled()
    {
        // The check above is only worth something if a wrong ExecStart path fails it.
        var root = MakeRoot();
        File.Delete(Path.Combine(root, "usr/local/bin/svc-registry"));
        var (exit, _, stderr) = await RunInRootAsync(VerifyCommand, root);
        Assert.NotEqual(0, exit);
        Assert.Contains("/usr/local/bin/svc-registry", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceUnit_SystemdAnalyzeSecurity_ExposureAtMostTwo()
    {
        var (exit, stdout, stderr) = await RunInRootAsync(SecurityCommand);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Overall exposure level for svc-registry.service: 1.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceUnit_IsHardened_AndWritesOnlyTheDataAndBackupDirectories()
    {
        var unit = UnitFile.Read(UnitPath("svc-registry.service"));
        Assert.Equal("svc-registry", unit["Service", "User"]);
        Assert.Equal("svc-registry", unit["Service", "Group"]);
        Assert.Equal("yes", unit["Service", "NoNewPrivileges"]);
        Assert.Equal("strict", unit["Service", "ProtectSystem"]);
        Assert.Equal("yes", unit["Service", "ProtectHome"]);
        Assert.Equal("yes", unit["Service", "PrivateTmp"]);
        Assert.Equal(string.Empty, unit["Service", "CapabilityBoundingSet"]);
        Assert.Equal("svc-registry", unit["Service", "StateDirectory"]);
        // The data directory, and the backup directory: a hot backup (POST /admin/backup) is written by the
        // service itself, into the sample's storage.backup_dir under it ("-": a host without it still starts).
        Assert.Equal(["/var/lib/svc-registry -/var/backups/svc-registry"], unit.All("Service", "ReadWritePaths"));
        Assert.Equal(SampleOptions().Service.DataDir, unit["Service", "WorkingDirectory"]);
        Assert.Contains("--dest /var/backups/svc-registry ", UnitFile.Read(UnitPath("svc-registry-backup.service"))["Service", "ExecStart"], StringComparison.Ordinal);
    }

    [Fact]
    public void BackupUnit_VerifiesWithTheServiceConfiguration_AndReachesItsAdminListener()
    {
        var service = UnitFile.Read(UnitPath("svc-registry.service"));
        var backup = UnitFile.Read(UnitPath("svc-registry-backup.service"));
        // ronctl reads trust.trust_roots_file and its pin from RON_CONFIG: the same file the service runs with.
        Assert.Contains(service.All("Service", "Environment").Single(e => e.StartsWith("RON_CONFIG=", StringComparison.Ordinal)), backup.All("Service", "Environment"));
        // ronctl asks the running service for the hot backup on METRICS_ADDR: the sample's listen.metrics_addr.
        Assert.Contains("METRICS_ADDR=" + SampleOptions().Listen.MetricsAddr, backup.All("Service", "Environment"));
        Assert.Equal("svc-registry.service", backup["Unit", "Requisite"]);
        Assert.Equal(service["Service", "User"], backup["Service", "User"]);

        // The admin listener's backup needs a registry:admin token (RUNBOOK.md section 2 mints it to this file), and
        // the service writes under the sample's storage.backup_dir, which both units may write and ronctl moves out of.
        Assert.Contains("RON_TOKEN_FILE=/etc/svc-registry/admin.token", backup.All("Service", "Environment"));
        Assert.Contains("--out /etc/svc-registry/admin.token", File.ReadAllText(OpsTool.RepoFile("RUNBOOK.md")), StringComparison.Ordinal);
        var backupDir = SampleOptions().Storage.BackupDir;
        Assert.StartsWith("/var/backups/svc-registry/", backupDir, StringComparison.Ordinal);
        Assert.Contains("/var/backups/svc-registry", backup["Service", "ReadWritePaths"], StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceUnit_StopsWithADrainingSignal_WithinTimeoutStopSec_AndRestartsOnlyWhatARestartCanFix()
    {
        var unit = UnitFile.Read(UnitPath("svc-registry.service"));
        Assert.Contains(unit["Service", "KillSignal"], new[] { "SIGTERM", "SIGINT" });
        var stopTimeout = SampleOptions().Service.StopTimeoutSeconds;
        Assert.True(int.Parse(unit["Service", "TimeoutStopSec"]!, System.Globalization.CultureInfo.InvariantCulture) >= stopTimeout + 10, "TimeoutStopSec must leave the drain (service.stop_timeout_seconds) and the log flush time");
        Assert.Equal("on-failure", unit["Service", "Restart"]);
        Assert.Equal("/bin/kill -HUP $MAINPID", unit["Service", "ExecReload"]);

        // Program.cs: 2 configuration error, 4 storage refused to open (3, "libsodium missing", is retired: NSec
        // ships its libsodium in the publish output). 1 (e.g. an address in use) is restarted.
        Assert.Equal(["2", "4"], unit["Service", "RestartPreventExitStatus"]!.Split(' ').Order());
    }

    [Fact]
    public void ServiceUnit_ExecStart_RunsTheInstalledWrapperWithTheInstalledConfig()
    {
        var unit = UnitFile.Read(UnitPath("svc-registry.service"));
        Assert.Equal("/usr/local/bin/svc-registry --config ${RON_CONFIG}", unit["Service", "ExecStart"]);
        Assert.Contains("RON_CONFIG=/etc/svc-registry/svc-registry.toml", unit.All("Service", "Environment"));
        var install = File.ReadAllText(OpsTool.RepoFile("ops", "install.sh"));
        Assert.Contains("\"$root/usr/local/bin/svc-registry\"", install, StringComparison.Ordinal);
        Assert.Contains("\"$root/etc/svc-registry/svc-registry.toml\"", install, StringComparison.Ordinal);
    }

    private static RegistryOptions SampleOptions() =>
        ConfigLoader.Load(["--config", OpsTool.RepoFile("ops", "config", "svc-registry.toml")], _ => null).Options;

    private static string UnitPath(string unit) => OpsTool.RepoFile("ops", "systemd", unit);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunInRootAsync(string command, string? root = null)
    {
        root ??= MakeRoot();
        try
        {
            var words = command.Split(' ');
            return await OpsTool.RunAsync(words[0], [words[1], "--root=" + root, .. words[2..]]);
        }
        finally
        {
            Directory.Delete(root, recursive: true); // about 1 MB of copied systemd units
        }
    }

    /// <summary>
    /// A root with systemd's own units (for the default dependencies), /bin/kill for ExecReload, and
    /// what ops/install.sh puts in place: the wrappers, the backup script and the unit files, unchanged.
    /// </summary>
    private static string MakeRoot()
    {
        var root = Directory.CreateTempSubdirectory("svcr-systemd-").FullName;
        CopyDirectory("/usr/lib/systemd/system", Path.Combine(root, "usr/lib/systemd/system"));
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.Copy("/usr/bin/kill", Path.Combine(root, "usr/bin/kill"));
        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
        Install(OpsTool.RepoFile("ops", "scripts", "dotnet-app-wrapper"), Path.Combine(root, "usr/local/bin/svc-registry"));
        Install(OpsTool.RepoFile("ops", "backup.sh"), Path.Combine(root, "usr/local/sbin/svc-registry-backup"));
        foreach (var unit in s_units)
        {
            Install(UnitPath(unit), Path.Combine(root, "etc/systemd/system", unit));
        }

        return root;
    }

    private static void Install(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
