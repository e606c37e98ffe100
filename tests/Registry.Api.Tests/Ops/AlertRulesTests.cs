using System.Text.RegularExpressions;

namespace Registry.Api.Tests.Ops;

/// <summary>ops/prometheus/alerts.yml: valid under promtool, unit-tested, and one rule per upstream alert.</summary>
public sealed partial class AlertRulesTests
{
    /// <summary>
    /// The alerts of the upstream runbook, section 13.5, and its failure table's "/readyz write=false > 5m"; plus this
    /// project's checkpoint-failure alert, which fires before staleness can; the replica alerts and the witness alerts.
    /// </summary>
    private static readonly string[] s_upstreamAlerts =
    [
        "RegistryReadP95High", "RegistryCommitP95High", "RegistryErrorBudgetBurn", "RegistryBusLag", "RegistryNotReady", "RegistryCheckpointStale",
        "RegistryWriteNotReady", "RegistryCheckpointFailing", "RegistryReplicaLagging", "RegistryReplicaHalted",
        "RegistryWitnessInconsistentProof", "RegistryWitnessRefusing",
    ];

    [Fact]
    public async Task AlertRules_PromtoolCheckRules_Succeeds()
    {
        var (exit, stdout, stderr) = await OpsTool.RunAsync("promtool", ["check", "rules", OpsFiles.AlertsPath]);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains($"SUCCESS: {s_upstreamAlerts.Length} rules found", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRules_PromtoolTestRules_EveryCasePasses()
    {
        var (exit, stdout, stderr) = await OpsTool.RunAsync("promtool", ["test", "rules", OpsFiles.AlertTestsPath]);
        Assert.True(exit == 0, stdout + stderr);
    }

    [Fact]
    public void AlertRules_CoverTheUpstreamAlerts_EachWithAFiringAndAQuietUnitTest()
    {
        Assert.Equal(s_upstreamAlerts.Order(), OpsFiles.Alerts().Select(a => a.Alert).Order());
        var tests = File.ReadAllText(OpsFiles.AlertTestsPath);
        foreach (var alert in s_upstreamAlerts)
        {
            var cases = AlertCase().Matches(tests).Where(m => m.Groups["name"].Value == alert).ToList();
            Assert.True(cases.Any(c => c.Groups["alerts"].Value.Trim() == "[]"), $"{alert}: no unit test expects it quiet");
            Assert.True(cases.Any(c => c.Groups["alerts"].Value.Trim().Length == 0), $"{alert}: no unit test expects it to fire");
        }
    }

    [Fact]
    public void AlertRules_KeepJobAndInstance_SoEachInstanceAlertsOnItsOwn()
    {
        foreach (var (alert, expr) in OpsFiles.Alerts())
        {
            foreach (var (metric, matchers) in PromQl.Selectors(expr))
            {
                Assert.Contains(matchers, m => m is ("job", "=", "svc-registry"));
            }

            foreach (Match by in ByClause().Matches(expr))
            {
                Assert.True(by.Groups[1].Value.Contains("instance", StringComparison.Ordinal), $"{alert}: '{by.Value}' drops the instance label");
            }
        }
    }

    // "alertname: X" followed by "exp_alerts:" and either "[]" or a nested list.
    [GeneratedRegex(@"alertname:\s*(?<name>\w+)\s*\n\s*exp_alerts:(?<alerts>[^\n]*)")]
    private static partial Regex AlertCase();

    [GeneratedRegex(@"\bby\s*\(([^)]*)\)")]
    private static partial Regex ByClause();
}
