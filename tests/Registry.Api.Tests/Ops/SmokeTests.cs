using System.Reflection;

namespace Registry.Api.Tests.Ops;

/// <summary>CI runs ops/smoke.sh (the post-upgrade smoke test of RUNBOOK.md) against a fresh service from the built binaries.</summary>
public sealed class SmokeTests
{
    [Fact]
    public async Task SmokeScript_AgainstAFreshService_PassesEveryStep()
    {
        var configuration = typeof(SmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var (exit, stdout, stderr) = await OpsTool.RunAsync(
            "bash", [OpsTool.RepoFile("ops", "smoke.sh")], env: new Dictionary<string, string> { ["CONFIGURATION"] = configuration }, timeout: TimeSpan.FromSeconds(180));
        Assert.True(exit == 0, $"ops/smoke.sh exited {exit}\n{stdout}\n{stderr}");
        Assert.Contains("smoke: OK", stdout, StringComparison.Ordinal);
    }
}
