namespace Registry.Api.Tests.Ops;

/// <summary>
/// CI runs ops/systemd-drill.sh: the runbook's systemctl and journalctl procedures against the installed units under a
/// real systemd (PID 1 of a throwaway systemd-nspawn container).
/// </summary>
public sealed class SystemdDrillTests
{
    [Fact]
    public async Task SystemdDrill_InstalledUnitsUnderARealSystemd_BehaveAsTheRunbookSays()
        => await OpsTool.RunOpsScriptAsync("systemd-drill.sh", "systemd-drill: OK", TimeSpan.FromSeconds(240));
}
