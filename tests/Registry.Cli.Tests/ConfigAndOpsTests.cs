using Registry.Core.Auth;
using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// config check and print against the service's own reading of the same file; chaos with the endpoint enabled and
/// disabled; capability rotation and revocation picked up by the service on SIGHUP.
/// </summary>
public sealed class ConfigAndOpsTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConfigCheck_FileTheServiceRunsWith_PassesAndChaosDrillWorks()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-config-").FullName;
        var ronctl = new RonctlRunner(dir);
        var config = await WriteConfigAsync(ronctl, dir, "[chaos]\nenabled = true\n");

        Assert.Contains("ok: ", (await ronctl.ExpectAsync(0, "config", "check", config)).Out, StringComparison.Ordinal);
        ronctl.Environment["RON_CONFIG"] = config;
        var printed = (await ronctl.ExpectAsync(0, "config", "print", "svc-registry")).Out;
        Assert.Contains($"# file: {config}", printed, StringComparison.Ordinal);
        Assert.Contains("registry_id = \"ron-cfg\"", printed, StringComparison.Ordinal);
        Assert.Contains("[chaos]\nenabled = true", printed, StringComparison.Ordinal);
        Assert.Contains("heartbeat_seconds = 15", printed, StringComparison.Ordinal);

        await using var service = await RegistryProcess.StartAsync(dir, ["--config", config]);
        ronctl.Environment["RON_ADMIN_URL"] = $"http://127.0.0.1:{service.AdminPort}";
        Assert.Contains("Authorization: Bearer", (await ronctl.ExpectAsync(ExitCodes.Auth, "chaos", "inject", "--target", "svc-registry", "--fault=storage-latency", "--ms=50")).Error, StringComparison.Ordinal);
        var tokenFile = Path.Combine(dir, "admin.token");
        Assert.Equal(string.Empty, (await ronctl.ExpectAsync(0, "cap", "mint", "--file", Path.Combine(dir, "capabilities.json"), "--scope", "registry:admin", "--id", "t-chaos", "--out", tokenFile)).Out);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
        ronctl.Environment["RON_TOKEN_FILE"] = tokenFile;
        service.Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var injected = JsonDocument.Parse((await ronctl.ExpectAsync(0, "chaos", "inject", "--target", "svc-registry", "--fault=storage-latency", "--ms=50", "--json")).Out);
        Assert.Equal(50, injected.RootElement.GetProperty("ms").GetInt32());
        Assert.Contains("\"ms\":50", await service.Admin.GetStringAsync("/admin/chaos"), StringComparison.Ordinal);
        await ronctl.ExpectAsync(0, "chaos", "clear", "--target", "svc-registry");
        Assert.Contains("\"fault\":null", await service.Admin.GetStringAsync("/admin/chaos"), StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.Usage, "chaos", "inject", "--target", "svc-registry", "--fault=disk-full", "--ms=50");
    }

    [Fact]
    public async Task ConfigCheck_UnknownKeyWrongPinOrLevel_ExitsSevenNamingItLikeTheServiceRefusesIt()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-config-").FullName;
        var ronctl = new RonctlRunner(dir);
        var good = await WriteConfigAsync(ronctl, dir, string.Empty);

        var typo = Path.Combine(dir, "typo.toml");
        await File.WriteAllTextAsync(typo, (await File.ReadAllTextAsync(good)).Replace("registry_id =", "registry_idd =", StringComparison.Ordinal));
        var result = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "config", "check", typo);
        Assert.Contains($"{typo}:2:1:", result.Out, StringComparison.Ordinal);
        Assert.Contains("registry_idd", result.Out, StringComparison.Ordinal);
        await using (var refused = await RegistryProcess.StartAsync(dir, ["--config", typo], waitReady: false))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(s_deadline));
        }

        var pinned = Path.Combine(dir, "pin.toml");
        await File.WriteAllTextAsync(pinned, System.Text.RegularExpressions.Regex.Replace(await File.ReadAllTextAsync(good), "sha256:[0-9a-f]{64}", "sha256:" + new string('0', 64)));
        Assert.Contains("trust.trust_roots_digest' pins sha256:000", (await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "config", "check", pinned)).Out, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.Usage, "config", "check", "missing.toml");

        var witnessed = Path.Combine(dir, "witnessed.toml");
        await File.WriteAllTextAsync(witnessed, await File.ReadAllTextAsync(good) + "\n[tlog]\nwitnesses = \"http://127.0.0.1:1 not-a-key\"\n\n[witness]\nlogs = \"x\"\n");
        var witnessProblems = (await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "config", "check", witnessed)).Out;
        Assert.Contains("'tlog.witnesses': 'http://127.0.0.1:1 not-a-key' is not", witnessProblems, StringComparison.Ordinal);
        Assert.Contains("'witness.logs' is set but 'witness.key_file' is not", witnessProblems, StringComparison.Ordinal);

        var loud = Path.Combine(dir, "loud.toml");
        await File.WriteAllTextAsync(loud, await File.ReadAllTextAsync(good) + "\n[log]\nrequest_level = \"loud\"\n");
        Assert.Contains(
            "'log.request_level' must be trace, debug, info, warn, error or fatal, got 'loud'",
            (await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "config", "check", loud)).Out,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigCheckProblems_NotTomlOrWrongType_NamedAtFileLineAndColumnLikeTheService()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-config-").FullName;
        var broken = Path.Combine(dir, "broken.toml");
        File.WriteAllText(broken, "[service]\nregistry_id = = \"x\"\n");
        var typed = Path.Combine(dir, "typed.toml");
        File.WriteAllText(typed, "[limits]\nmax_inflight = \"many\"\n[stream]\nheartbeat_seconds = 0\n");

        Assert.StartsWith($"{broken}:2:15: ", Commands.ConfigCommand.Problems(broken)[0], StringComparison.Ordinal);
        Assert.Equal(
            [
                $"{typed}:2:1: 'limits.max_inflight' must be an integer, found a string (\"many\")",
                $"{typed}:4:1: 'stream.heartbeat_seconds' = 0 is out of range 1..3600",
            ],
            Commands.ConfigCommand.Problems(typed));
    }

    [Fact]
    public async Task ConfigPrint_WithEnv_AppliesAndMarksOverrides()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-config-").FullName;
        var ronctl = new RonctlRunner(dir, new Dictionary<string, string> { ["SVCR_LIMITS__MAX_INFLIGHT"] = "7", ["REGISTRY_ADDR"] = "0.0.0.0:9555" });
        var plain = (await ronctl.ExpectAsync(0, "config", "print")).Out;
        Assert.Contains("# file: none (dev mode", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("max_inflight = 7", plain, StringComparison.Ordinal);
        var withEnv = (await ronctl.ExpectAsync(0, "config", "print", "svc-registry", "--with-env")).Out;
        Assert.Contains("max_inflight = 7  # env SVCR_LIMITS__MAX_INFLIGHT", withEnv, StringComparison.Ordinal);
        Assert.Contains("api_addr = \"0.0.0.0:9555\"  # env REGISTRY_ADDR", withEnv, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.Usage, "config", "print", "svc-other");
    }

    [Fact]
    public async Task Chaos_EndpointDisabled_ExitsNotFoundSayingSo()
    {
        await using var dev = await DevService.StartAsync(writeDevKeys: false);
        var result = await dev.Ronctl.ExpectAsync(ExitCodes.NotFound, "chaos", "inject", "--target", "svc-registry", "--fault=storage-latency", "--ms=50");
        Assert.Contains("chaos is not enabled on svc-registry", result.Error, StringComparison.Ordinal);
        await dev.Ronctl.ExpectAsync(ExitCodes.NotFound, "chaos", "clear", "--target", "svc-registry");
    }

    [Fact]
    public async Task CapRevoke_AfterSighup_TheServiceRefusesTheToken()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-cap-").FullName;
        var ronctl = new RonctlRunner(dir, new Dictionary<string, string> { ["RON_CAPABILITIES_FILE"] = Path.Combine(dir, "caps.json") });
        await ronctl.ExpectAsync(0, "cap", "rotate");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "caps.json")));
        var token = (await ronctl.ExpectAsync(0, "cap", "mint", "--scope", "registry:propose", "--id", "t-ops")).Out.Trim();
        await using var service = await RegistryProcess.StartAsync(dir, ["--amnesia"], new Dictionary<string, string> { ["SVCR_AUTH__CAPABILITIES_FILE"] = Path.Combine(dir, "caps.json") });
        ronctl.Environment["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}";
        ronctl.Environment["RON_TOKEN"] = token;
        await File.WriteAllTextAsync(Path.Combine(dir, "p1.json"), "{\"changes\":[" + DevService.Region("region:cap1") + "]}");
        await File.WriteAllTextAsync(Path.Combine(dir, "p2.json"), "{\"changes\":[" + DevService.Region("region:cap2") + "]}");

        await ronctl.ExpectAsync(0, "registry", "propose", "--file", "p1.json");
        await ronctl.ExpectAsync(0, "cap", "revoke", "--id", "t-ops");
        await ronctl.ExpectAsync(0, "cap", "rotate", "--overlap", "1h");
        using (var listed = JsonDocument.Parse((await ronctl.ExpectAsync(0, "cap", "list", "--json")).Out))
        {
            Assert.Equal(2, listed.RootElement.GetProperty("keys").GetArrayLength());
            Assert.Equal("t-ops", listed.RootElement.GetProperty("revoked")[0].GetString());
        }

        service.Signal(1);
        await service.WaitForLineAsync(l => l.Contains("reload=1", StringComparison.Ordinal), s_deadline);
        await ronctl.ExpectAsync(ExitCodes.Auth, "registry", "propose", "--file", "p2.json");
        var wrongScope = (await ronctl.ExpectAsync(0, "cap", "mint", "--scope", "registry:approve")).Out.Trim();
        ronctl.Environment["RON_TOKEN"] = wrongScope;
        await ronctl.ExpectAsync(ExitCodes.Auth, "registry", "propose", "--file", "p2.json");
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "cap", "mint", "--scope", "registry:propose")).Out.Trim();
        await ronctl.ExpectAsync(0, "registry", "propose", "--file", "p2.json");
    }

    /// <summary>A production-style configuration: pinned trust roots (the dev set under another id) and a capabilities file.</summary>
    private static async Task<string> WriteConfigAsync(RonctlRunner ronctl, string dir, string extra)
    {
        var trustRoots = Path.Combine(dir, "trust-roots.json");
        var document = DevCredentials.Genesis("ron-cfg").ToTrustRootsDocument();
        await File.WriteAllBytesAsync(trustRoots, document);
        var capabilities = Path.Combine(dir, "capabilities.json");
        await ronctl.ExpectAsync(0, "cap", "rotate", "--file", capabilities);
        var config = Path.Combine(dir, "svc-registry.toml");
        await File.WriteAllTextAsync(config, $"""
            [service]
            registry_id = "ron-cfg"
            amnesia = true

            [trust]
            trust_roots_file = "{trustRoots}"
            trust_roots_digest = "{GenesisRecord.TrustRootsDigest(document)}"

            [auth]
            capabilities_file = "{capabilities}"

            {extra}
            """);
        return config;
    }
}
