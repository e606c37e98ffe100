using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Machine;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// <c>replica.bootstrap = "checkpoint"</c> (docs/REPLICATION.md, "Bootstrap from a checkpoint"), real processes on
/// loopback: an empty replica installs the primary's newest checkpoint after checking it against the chain and ends
/// with the same HEAD, bytes and proofs, follows later commits, and resumes from its own data after SIGKILL; a followed
/// node serving a checkpoint whose state differs, or a chain with a broken link, is refused with the version and the
/// reason, and nothing is stored.
/// </summary>
public sealed class CheckpointBootstrapTests
{
    private static readonly string[] FromCheckpoint = ["--bootstrap", "checkpoint"];

    [Fact]
    public async Task Replica_BootstrappedFromAPrimarysCheckpoint_EndsIdentical_FollowsOn_AndResumesAfterSigkillWithoutRefetching()
    {
        const int Writers = 4;
        const int PerWriter = 75;
        const int Total = Writers * PerWriter;
        const int Later = 15;
        var primaryDir = Directory.CreateTempSubdirectory("svcr-ckpt-primary-").FullName;
        await using (var first = await RegistryProcess.StartAsync(primaryDir))
        {
            var writer = new Driver(first);
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    await writer.CommitChangesAsync(Driver.Region($"region:w{w}-{i % 50}", $"Writer {w} round {i}"));
                }
            })));

            // A clean stop takes a checkpoint at HEAD: the one the replica will be handed.
            Assert.Equal(0, await first.StopAsync());
        }

        await using var primary = await RegistryProcess.StartAsync(primaryDir);
        using (var latest = await primary.Api.GetAsync("/registry/checkpoints/latest"))
        {
            Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
            Assert.Equal(Total.ToString(System.Globalization.CultureInfo.InvariantCulture), latest.Headers.GetValues("X-Registry-Checkpoint-Version").Single());
            Assert.Equal("no-cache", latest.Headers.CacheControl!.ToString());
            Assert.Equal($"/registry/checkpoints/{Total}", latest.Content.Headers.ContentLocation!.ToString());
            Assert.StartsWith("RONSTATE", Encoding.ASCII.GetString(await latest.Content.ReadAsByteArrayAsync(), 0, 8), StringComparison.Ordinal);
            using var again = new HttpRequestMessage(HttpMethod.Get, "/registry/checkpoints/latest");
            again.Headers.TryAddWithoutValidation("If-None-Match", latest.Headers.ETag!.ToString());
            using var notModified = await primary.Api.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using (var pinned = await primary.Api.GetAsync($"/registry/checkpoints/{Total}"))
        {
            Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
            Assert.Contains("immutable", pinned.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }

        using (var old = await primary.Api.GetAsync("/registry/checkpoints/1"))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
            Assert.Equal("NotFound", (await Driver.JsonAsync(old)).GetProperty("code").GetString());
        }

        var replicaDir = Directory.CreateTempSubdirectory("svcr-ckpt-replica-").FullName;
        var replica = await ReplicaNodes.StartAsync(ReplicaNodes.UrlOf(primary), replicaDir, extraArgs: FromCheckpoint);
        var installed = await replica.WaitForLineAsync(l => l.Contains("replica: bootstrapped from checkpoint", StringComparison.Ordinal), ReplicaNodes.Deadline);
        Assert.Contains($"at version {Total} ", installed, StringComparison.Ordinal);

        var driver = new Driver(primary);
        for (var i = 0; i < Later; i++)
        {
            await driver.CommitChangesAsync(Driver.Region($"region:later-{i}", $"Later {i}"));
        }

        await ReplicaNodes.WaitForVersionAsync(replica.Api, Total + Later);
        await AssertSameAsync(primary, replica, Total + Later);
        var status = (await ReplicaNodes.ReadyAsync(replica)).GetProperty("replica");
        Assert.True(status.GetProperty("in_sync").GetBoolean(), status.ToString());

        // SIGKILL, more commits, restart: the replica recovers from its own checkpoint and log, without a new bootstrap.
        await replica.KillAsync();
        await replica.DisposeAsync();
        for (var i = 0; i < Later; i++)
        {
            await driver.CommitChangesAsync(Driver.Region($"region:after-kill-{i}", $"After kill {i}"));
        }

        await using var restarted = await ReplicaNodes.StartAsync(ReplicaNodes.UrlOf(primary), replicaDir, extraArgs: FromCheckpoint);
        var following = await restarted.WaitForLineAsync(l => l.Contains("replica: following", StringComparison.Ordinal), ReplicaNodes.Deadline);
        Assert.Contains($"from version {Total + Later}", following, StringComparison.Ordinal);
        Assert.DoesNotContain(restarted.Lines, l => l.Contains("replica: bootstrapped", StringComparison.Ordinal) || l.Contains("bootstrap from a checkpoint", StringComparison.Ordinal));
        await ReplicaNodes.WaitForVersionAsync(restarted.Api, Total + (2 * Later));
        await AssertSameAsync(primary, restarted, Total + (2 * Later));
    }

    [Theory]
    [InlineData("descriptor", 6, "does not decode: State snapshot descriptors hash to")]
    [InlineData("json", 6, "does not decode")]
    [InlineData("link", 3, "prev_hash")]
    [InlineData("other-chain", 1, "but the checkpoint's chain has")]
    public async Task Replica_BootstrappingFromAnAlteredCheckpointOrChain_RefusesIt_StoresNothing_AndStaysNotReady(string alter, long version, string reason)
    {
        var (chain, snapshot) = await RealChainAndCheckpointAsync("10.0.0.5:7000");
        var served = chain.ToList();
        switch (alter)
        {
            case "descriptor":
                // One node's address in the snapshot's descriptors, same length: the state is no longer the chain's.
                snapshot = Replace(snapshot, "10.0.0.5:7000", "10.0.0.9:7000");
                break;
            case "json":
                // A quote inside a descriptor's JSON, same length: the snapshot's JSON no longer parses.
                snapshot = Replace(snapshot, "10.0.0.5:7000", "10.0.0.5\"7000");
                break;
            case "link":
                served[2] = FakePrimaryTests.Alter(chain[2], "prev_hash");
                break;
            default:
                // A real, self-consistent snapshot at the same version of another chain of the same registry.
                (_, snapshot) = await RealChainAndCheckpointAsync("10.0.0.6:7000");
                break;
        }

        await using var fake = await FakeUpstream.StartAsync(served, checkpoint: (chain.Count, snapshot));
        var dataDir = Directory.CreateTempSubdirectory("svcr-ckpt-refused-").FullName;
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, dataDir, extraArgs: FromCheckpoint, waitReady: false);
        await ReplicaNodes.WaitForHaltAsync(replica);

        var ready = await ReplicaNodes.ReadyAsync(replica);
        Assert.False(ready.GetProperty("ready").GetBoolean(), "a refused bootstrap leaves the replica empty and not ready");
        var status = ready.GetProperty("replica");
        Assert.Equal("halted", status.GetProperty("phase").GetString());
        Assert.False(status.GetProperty("in_sync").GetBoolean());
        Assert.Equal(version, status.GetProperty("halted_version").GetInt64());
        Assert.Contains($"version {version}", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(reason, status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var metrics = await replica.Admin.GetStringAsync("/metrics");
        Assert.Contains("registry_replica_halted 1", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_replica_in_sync 0", metrics, StringComparison.Ordinal);

        using (var head = await replica.Api.GetAsync("/registry/head"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
        }

        Assert.False(replica.HasExited);
        Assert.False(Directory.Exists(Path.Combine(dataDir, "checkpoints")) && Directory.EnumerateFiles(Path.Combine(dataDir, "checkpoints")).Any(), "nothing is stored");
        Assert.Equal(0, await replica.StopAsync());

        // Nothing was stored: a restart in genesis mode verifies the chain itself and refuses the broken record, or
        // (a sound chain) follows it in full.
        await using var again = await ReplicaNodes.StartAsync(fake.Url, dataDir);
        if (alter == "link")
        {
            await ReplicaNodes.WaitForHaltAsync(again);
            Assert.Equal(2, await ReplicaNodes.HeadVersionAsync(again.Api));
        }
        else
        {
            await ReplicaNodes.WaitForVersionAsync(again.Api, chain.Count);
        }
    }

    [Fact]
    public async Task Replica_BootstrappingFromANodeThatAnswersShortLogPages_ChecksAndStoresEveryRecord()
    {
        // Pages of two where three pages of up to 1,000 are read ahead: each short page restarts the read-ahead.
        var (chain, snapshot) = await RealChainAndCheckpointAsync("10.0.0.5:7000");
        await using var fake = await FakeUpstream.StartAsync(chain, pageSize: 2, checkpoint: (chain.Count, snapshot));
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, extraArgs: FromCheckpoint);
        Assert.Contains(replica.Lines, l => l.Contains($"replica: bootstrapped from checkpoint at version {chain.Count} ", StringComparison.Ordinal));
        using var log = JsonDocument.Parse(await ReplicaNodes.BytesAsync(replica.Api, "/registry/log?from=1&limit=100"));
        Assert.Equal(chain, log.RootElement.EnumerateArray().Select(e => Encoding.UTF8.GetBytes(e.GetRawText())).ToList());
        Assert.Equal(snapshot, await ReplicaNodes.BytesAsync(replica.Api, "/registry/checkpoints/latest"));
    }

    [Fact]
    public async Task ServedCheckpoint_HoldsCommitsOnly_NotTheOpenProposalsOrTheTokenIdsThatProposedThem()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-ckpt-open-").FullName;
        string open;
        await using (var first = await RegistryProcess.StartAsync(dir))
        {
            var driver = new Driver(first);
            await driver.CommitChangesAsync(Driver.Region("region:a"));
            open = await driver.ProposeAsync(Driver.Region("region:b"));
            Assert.Equal(0, await first.StopAsync()); // the clean stop's checkpoint holds the open proposal
        }

        await using var primary = await RegistryProcess.StartAsync(dir);
        using (var view = await primary.Api.GetAsync($"/registry/proposals/{open}"))
        {
            Assert.Equal(HttpStatusCode.OK, view.StatusCode); // still open on the primary, recovered from that checkpoint
        }

        var served = StateSnapshotCodec.Read(await ReplicaNodes.BytesAsync(primary.Api, "/registry/checkpoints/latest"));
        Assert.Equal(1, served.Version);
        Assert.Empty(served.Pending);
        Assert.Empty(served.Dropped);
        Assert.True(served.Descriptors.TryGet("region:a", out _));
    }

    private static async Task AssertSameAsync(RegistryProcess primary, RegistryProcess replica, int head)
    {
        Assert.Equal(await ReplicaNodes.BytesAsync(primary.Api, "/registry/head"), await ReplicaNodes.BytesAsync(replica.Api, "/registry/head"));
        var expectedLog = await ReplicaNodes.LogPagesAsync(primary.Api, head);
        var log = await ReplicaNodes.LogPagesAsync(replica.Api, head);
        Assert.Equal(expectedLog.Count, log.Count);
        for (var i = 0; i < log.Count; i++)
        {
            Assert.Equal(expectedLog[i], log[i]);
        }

        foreach (var path in new[] { $"/registry/{head}", "/registry/40", $"/registry/{head}/descriptors/region:w2-7", "/registry/40/descriptors/region:w0-1", "/registry/tlog/tile/0/000" })
        {
            Assert.Equal(await ReplicaNodes.BytesAsync(primary.Api, path), await ReplicaNodes.BytesAsync(replica.Api, path));
        }
    }

    /// <summary>Six commits by a real primary (dev trust roots) with a data directory, stopped cleanly (a checkpoint at 6): the records and that checkpoint.</summary>
    private static async Task<(List<byte[]> Chain, byte[] Snapshot)> RealChainAndCheckpointAsync(string address)
    {
        var dir = Directory.CreateTempSubdirectory("svcr-ckpt-source-").FullName;
        await using (var first = await RegistryProcess.StartAsync(dir))
        {
            var driver = new Driver(first);
            await driver.CommitChangesAsync(Driver.Region("region:a"));
            await driver.CommitChangesAsync(Driver.Region("region:b"));
            await driver.CommitChangesAsync(Driver.Node("node:1", "region:a", address));
            await driver.CommitChangesAsync(Driver.Region("region:c"));
            await driver.CommitChangesAsync(Driver.Node("node:2", "region:b"));
            await driver.CommitChangesAsync(Driver.Delete("region:c"));
            Assert.Equal(0, await first.StopAsync());
        }

        await using var source = await RegistryProcess.StartAsync(dir);
        using var log = JsonDocument.Parse(await ReplicaNodes.BytesAsync(source.Api, "/registry/log?from=1&limit=100"));
        var chain = log.RootElement.EnumerateArray().Select(e => Encoding.UTF8.GetBytes(e.GetRawText())).ToList();
        return (chain, await ReplicaNodes.BytesAsync(source.Api, "/registry/checkpoints/latest"));
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(Encoding.ASCII.GetBytes(from)) < 0, $"'{from}' occurs once in the snapshot");
        var copy = bytes.ToArray();
        Encoding.ASCII.GetBytes(to).CopyTo(copy, at);
        return copy;
    }
}
