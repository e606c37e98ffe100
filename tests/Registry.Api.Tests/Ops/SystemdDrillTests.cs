using System.Reflection;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// CI runs ops/systemd-drill.sh: the runbook's systemctl and journalctl procedures against the installed units under a
/// real systemd (PID 1 of a throwaway systemd-nspawn container).
/// </summary>
public sealed class SystemdDrillTests
{
    [Fact]
    public async Task SystemdDrill_InstalledUnitsUnderARealSystemd_BehaveAsTheRunbookSays()
    {
        var configuration = typeof(SystemdDrillTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var (exit, stdout, stderr) = await OpsTool.RunAsync(
            "bash", [OpsTool.RepoFile("ops", "systemd-drill.sh")], env: new Dictionary<string, string> { ["CONFIGURATION"] = configuration }, timeout: TimeSpan.FromSeconds(240));
        Assert.True(exit == 0, $"ops/systemd-drill.sh exited {exit}\n{stdout}\n{stderr}");
        Assert.Contains("systemd-drill: OK", stdout, StringComparison.Ordinal);
    }
}
