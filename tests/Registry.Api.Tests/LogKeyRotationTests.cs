using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Log key rotation on a real process (docs/PROTOCOL.md §12.14): a set_log_key change committed M-of-N makes the
/// checkpoint verify under the staged next key and no longer under the old one; a rotation below the threshold, with a
/// bad approval, to a key the service does not hold, to the key in force or with a malformed vkey is a typed refusal
/// that changes nothing; and a restart whose configuration lacks the key the chain puts in force refuses to start,
/// naming both keys.
/// </summary>
public sealed class LogKeyRotationTests
{
    private const string RegistryId = "ron-dev";

    [Fact]
    public async Task Rotation_CommittedMofN_CheckpointVerifiesUnderTheNewKeyAndNotTheOld()
    {
        var (env, oldKey) = TransparencyLogTests.LogKeyEnvironment();
        var (nextPath, newKey) = KeyFile();
        env["SVCR_TRUST__NEXT_LOG_KEY_FILE"] = nextPath;
        var dataDir = Directory.CreateTempSubdirectory("svcr-logkey-").FullName;
        await using (var service = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            Assert.Contains(service.Lines, l => l.Contains("next_log_key=" + newKey, StringComparison.Ordinal));
            var driver = new Driver(service);
            await driver.CommitChangesAsync(Driver.Region("region:eu"));
            var before = await CheckpointAsync(service);
            Assert.True(before.VerifiedBy(oldKey));

            var id = await driver.ProposeAsync(SetLogKey(newKey));
            await driver.ApproveAsync(id, 1);

            // Below the threshold (2 of 3): refused, and the key in force is unchanged.
            using (var early = await driver.PostAsync($"/registry/commit/{id}", null))
            {
                await AssertProblemAsync(early, HttpStatusCode.UnprocessableEntity, "QuorumFailed");
            }

            // A forged approval (signer 3's id, signer 2's signature) is refused on receipt.
            var forged = Driver.ApprovalJson(id, 2).Replace("dev-signer-2", "dev-signer-3", StringComparison.Ordinal);
            using (var bad = await driver.PostAsync($"/registry/approvals/{id}", forged))
            {
                await AssertProblemAsync(bad, HttpStatusCode.UnprocessableEntity, "InvalidSig");
            }

            Assert.True((await CheckpointAsync(service)).VerifiedBy(oldKey));

            await driver.ApproveAsync(id, 2);
            var rotatedAt = (await driver.CommitAsync(id)).GetProperty("version").GetInt64();
            var after = await CheckpointAsync(service);
            Assert.True(Checkpoint.TryParse(after.Text, out var checkpoint));
            Assert.Equal(rotatedAt + 1, checkpoint.Size);
            Assert.True(after.VerifiedBy(newKey));
            Assert.False(after.VerifiedBy(oldKey));
            var freshness = new NoteVerifierKey(newKey.Name, NoteVerifierKey.CosignatureV1Type, newKey.PublicKey);
            Assert.True(Cosignature.TryVerify(after, freshness, out _));

            // The key in force again, a key the service does not hold, a malformed vkey: typed refusals, nothing written.
            var head = (await driver.HeadAsync()).GetProperty("version").GetInt64();
            using var unheld = NoteSigner.Generate(RegistryId);
            await AssertRefusedAsync(driver, SetLogKey(newKey), HttpStatusCode.UnprocessableEntity, "InvalidDescriptor", "already the log key in force");
            await AssertRefusedAsync(driver, SetLogKey(unheld.VerifierKey), HttpStatusCode.UnprocessableEntity, "InvalidDescriptor", "holds no private key");
            await AssertRefusedAsync(driver, "{\"op\":\"set_log_key\",\"log_key\":\"ron-dev+00000000+AQ==\"}", HttpStatusCode.BadRequest, "Malformed", "not a C2SP vkey");
            using var other = NoteSigner.Generate("other-registry");
            await AssertRefusedAsync(driver, SetLogKey(other.VerifierKey), HttpStatusCode.UnprocessableEntity, "InvalidDescriptor", "registry id 'ron-dev'");
            Assert.Equal(head, (await driver.HeadAsync()).GetProperty("version").GetInt64());

            await driver.CommitChangesAsync(Driver.Region("region:us"));
            Assert.True((await CheckpointAsync(service)).VerifiedBy(newKey));
            Assert.Equal(0, await service.StopAsync());
        }

        // The old configuration without the staged key: refused, naming the key in force and the configured one.
        var stale = new Dictionary<string, string>(env);
        stale.Remove("SVCR_TRUST__NEXT_LOG_KEY_FILE");
        await using (var refused = await RegistryProcess.StartAsync(dataDir, env: stale, waitReady: false))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(refused.Lines, l => l.Contains("refuses to start: log key", StringComparison.Ordinal)
                && l.Contains("puts log key " + newKey + " in force", StringComparison.Ordinal)
                && l.Contains("'trust.log_key' is " + oldKey, StringComparison.Ordinal));
        }

        // The promoted configuration (the new key as trust.log_key): starts, and signs with the new key.
        var promoted = new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = newKey.ToString(), ["SVCR_TRUST__LOG_KEY_FILE"] = nextPath };
        await using var restarted = await RegistryProcess.StartAsync(dataDir, env: promoted);
        Assert.True((await CheckpointAsync(restarted)).VerifiedBy(newKey));
    }

    [Fact]
    public async Task Restart_WithTheNextKeyStillStaged_StartsAndSignsWithTheKeyInForce()
    {
        var (env, oldKey) = TransparencyLogTests.LogKeyEnvironment();
        var (nextPath, newKey) = KeyFile();
        env["SVCR_TRUST__NEXT_LOG_KEY_FILE"] = nextPath;
        var dataDir = Directory.CreateTempSubdirectory("svcr-logkey-").FullName;
        await using (var service = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            await new Driver(service).CommitChangesAsync(SetLogKey(newKey));
            await service.KillAsync();
        }

        await using var restarted = await RegistryProcess.StartAsync(dataDir, env: env);
        var note = await CheckpointAsync(restarted);
        Assert.True(note.VerifiedBy(newKey));
        Assert.False(note.VerifiedBy(oldKey));
    }

    private static string SetLogKey(NoteVerifierKey key) => $"{{\"op\":\"set_log_key\",\"log_key\":\"{key}\"}}";

    private static (string Path, NoteVerifierKey Key) KeyFile()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-tlog-next-").FullName, "tlog-next.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(RegistryId, seed) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var signer = NoteSigner.FromSeed(RegistryId, seed);
        return (path, signer.VerifierKey);
    }

    private static async Task<SignedNote> CheckpointAsync(RegistryProcess service)
    {
        using var response = await service.Api.GetAsync("/registry/tlog/checkpoint");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.True(SignedNote.TryParse(bytes, out var note), Encoding.UTF8.GetString(bytes));
        return note;
    }

    private static async Task AssertRefusedAsync(Driver driver, string change, HttpStatusCode status, string code, string detail)
    {
        using var response = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(change));
        var body = await AssertProblemAsync(response, status, code);
        Assert.Contains(detail, body, StringComparison.Ordinal);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        return body;
    }
}
