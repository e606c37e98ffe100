namespace Registry.Api.Tests.Ops;

/// <summary>CI runs ops/smoke.sh (the post-upgrade smoke test of RUNBOOK.md) against a fresh service from the built binaries.</summary>
public sealed class SmokeTests
{
    [Fact]
    public async Task SmokeScript_AgainstAFreshService_PassesEveryStep()
        => await OpsTool.RunOpsScriptAsync("smoke.sh", "smoke: OK", TimeSpan.FromSeconds(180));
}
