using System.Collections.Immutable;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// A replica trusts nothing but its own trust roots: following a fake primary that replays a real chain with one record
/// altered (an approval's signature, its prev_hash, its state root), or one that forks at a version the replica holds,
/// it refuses the record, names the version and the reason on /readyz and in the metrics, keeps serving the version
/// before, and writes both records to its data directory.
/// </summary>
public sealed class FakePrimaryTests
{
    private const int Bad = 4;

    [Theory]
    [InlineData("approval", "does not verify")]
    [InlineData("prev_hash", "prev_hash")]
    [InlineData("state_root", "state_root")]
    public async Task Replica_RecordAlteredAtVersionN_RefusesIt_ReportsIt_AndKeepsServingNMinus1(string alter, string reason)
    {
        var chain = await RealChainAsync();
        var served = chain.ToList();
        served[Bad - 1] = Alter(chain[Bad - 1], alter);
        await using var fake = await FakeUpstream.StartAsync(served);
        var dataDir = Directory.CreateTempSubdirectory("svcr-replica-fake-").FullName;
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, dataDir);

        await ReplicaNodes.WaitForHaltAsync(replica);

        Assert.Equal(Bad - 1, await ReplicaNodes.HeadVersionAsync(replica.Api));
        using (var missing = await replica.Api.GetAsync($"/registry/{Bad}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        }

        var ready = await ReplicaNodes.ReadyAsync(replica);
        Assert.True(ready.GetProperty("ready").GetBoolean(), "a halted replica still serves its last verified version");
        var status = ready.GetProperty("replica");
        Assert.False(status.GetProperty("in_sync").GetBoolean());
        Assert.Equal("halted", status.GetProperty("phase").GetString());
        Assert.Equal(Bad, status.GetProperty("halted_version").GetInt64());
        Assert.Contains(reason, status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains($"version {Bad}", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(chain.Count, status.GetProperty("upstream_version").GetInt64());
        var metrics = await replica.Admin.GetStringAsync("/metrics");
        Assert.Contains("registry_replica_halted 1", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_replica_in_sync 0", metrics, StringComparison.Ordinal);

        using var evidence = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDir, $"replica-conflict-v{Bad}.json")));
        var root = evidence.RootElement;
        Assert.Equal("verification", root.GetProperty("kind").GetString());
        Assert.Equal(Bad, root.GetProperty("version").GetInt64());
        Assert.Equal(Bad - 1, root.GetProperty("local").GetProperty("version").GetInt64());
        Assert.Equal(Digest.Compute(chain[Bad - 2]), CommitRecord.FromJson(root.GetProperty("local")).Hash);
        Assert.Equal(Digest.Compute(served[Bad - 1]), CommitRecord.FromJson(root.GetProperty("upstream")).Hash);

        // Halted for good: a stream resumed past its HEAD is told the position is not in its history.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
        request.Headers.Add("Last-Event-ID", chain.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var stream = await replica.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stream.StatusCode);
        Assert.Equal("NotInHistory", (await Driver.JsonAsync(stream)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Replica_CatchingUpInPagesOfTwo_StoresEveryRecord_AndRefusesAnAlteredOneOnAPageReadAhead()
    {
        // Pages of two: the page holding version Bad (3-4) is read ahead while the first (1-2) is verified and stored.
        var chain = await RealChainAsync();
        await using (var fake = await FakeUpstream.StartAsync(chain, pageSize: 2))
        {
            var dataDir = Directory.CreateTempSubdirectory("svcr-replica-pages-").FullName;
            await using var replica = await ReplicaNodes.StartAsync(fake.Url, dataDir);
            await ReplicaNodes.WaitForVersionAsync(replica.Api, chain.Count);
            using var log = JsonDocument.Parse(await ReplicaNodes.BytesAsync(replica.Api, "/registry/log?from=1&limit=100"));
            Assert.Equal(chain, log.RootElement.EnumerateArray().Select(e => System.Text.Encoding.UTF8.GetBytes(e.GetRawText())).ToList());
        }

        var served = chain.ToList();
        served[Bad - 1] = Alter(chain[Bad - 1], "approval");
        await using var altered = await FakeUpstream.StartAsync(served, pageSize: 2);
        var haltedDir = Directory.CreateTempSubdirectory("svcr-replica-pages-").FullName;
        await using var halted = await ReplicaNodes.StartAsync(altered.Url, haltedDir);
        await ReplicaNodes.WaitForHaltAsync(halted);
        Assert.Equal(Bad - 1, await ReplicaNodes.HeadVersionAsync(halted.Api));
        var status = (await ReplicaNodes.ReadyAsync(halted)).GetProperty("replica");
        Assert.Equal(Bad, status.GetProperty("halted_version").GetInt64());
        Assert.Contains("does not verify", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replica_UpstreamForksAtAVersionItHolds_RefusesIt_KeepsBothRecords_AndKeepsServingItsHead()
    {
        var chain = await RealChainAsync();
        await using var fake = await FakeUpstream.StartAsync(chain);
        var dataDir = Directory.CreateTempSubdirectory("svcr-replica-fork-").FullName;
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, dataDir);
        await ReplicaNodes.WaitForVersionAsync(replica.Api, chain.Count);

        // The fake now claims another record at version Bad as its HEAD: a fork of the chain the replica holds.
        var forked = chain.Take(Bad - 1).Append(Alter(chain[Bad - 1], "committed_at")).ToList();
        fake.Serve(forked);
        await ReplicaNodes.WaitForHaltAsync(replica);

        Assert.Equal(chain.Count, await ReplicaNodes.HeadVersionAsync(replica.Api));
        var status = (await ReplicaNodes.ReadyAsync(replica)).GetProperty("replica");
        Assert.False(status.GetProperty("in_sync").GetBoolean());
        Assert.Equal(Bad, status.GetProperty("halted_version").GetInt64());
        Assert.Contains($"fork at version {Bad}", status.GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var evidence = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDir, $"replica-conflict-v{Bad}.json")));
        var root = evidence.RootElement;
        Assert.Equal("fork", root.GetProperty("kind").GetString());
        Assert.Equal(Digest.Compute(chain[Bad - 1]), CommitRecord.FromJson(root.GetProperty("local")).Hash);
        Assert.Equal(Digest.Compute(forked[Bad - 1]), CommitRecord.FromJson(root.GetProperty("upstream")).Hash);
        Assert.Equal(await ReplicaNodes.BytesAsync(replica.Api, $"/registry/log?from={Bad}&limit=1"), "["u8.ToArray().Concat(chain[Bad - 1]).Concat("]"u8.ToArray()).ToArray());
    }

    /// <summary>Six commits by a real primary (dev mode, so the replica's trust roots are the same), as canonical records.</summary>
    private static async Task<List<byte[]>> RealChainAsync()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(primary);
        await driver.CommitChangesAsync(Driver.Region("region:a"));
        await driver.CommitChangesAsync(Driver.Region("region:b"));
        await driver.CommitChangesAsync(Driver.Node("node:1", "region:a"));
        await driver.CommitChangesAsync(Driver.Region("region:c"));
        await driver.CommitChangesAsync(Driver.Node("node:2", "region:b"));
        await driver.CommitChangesAsync(Driver.Delete("node:1"));
        using var log = JsonDocument.Parse(await ReplicaNodes.BytesAsync(primary.Api, "/registry/log?from=1&limit=100"));
        return log.RootElement.EnumerateArray().Select(e => System.Text.Encoding.UTF8.GetBytes(e.GetRawText())).ToList();
    }

    /// <summary>The record with one member altered, re-encoded canonically (so only the alteration can be refused).</summary>
    internal static byte[] Alter(byte[] canonical, string member)
    {
        var r = CommitRecord.FromCanonicalBytes(canonical);
        var altered = member switch
        {
            "approval" => new CommitRecord(r.Version, r.PrevHash, r.Proposal, [new Approval(r.Approvals[0].SignerId, r.Approvals[1].Signature), .. r.Approvals.Skip(1)], r.SignerSetVersion, r.StateRoot, r.CommittedAt),
            "prev_hash" => new CommitRecord(r.Version, Digest.Compute("another chain"u8), r.Proposal, r.Approvals, r.SignerSetVersion, r.StateRoot, r.CommittedAt),
            "state_root" => new CommitRecord(r.Version, r.PrevHash, r.Proposal, r.Approvals, r.SignerSetVersion, Digest.Compute("another state"u8), r.CommittedAt),
            "committed_at" => new CommitRecord(r.Version, r.PrevHash, r.Proposal, r.Approvals, r.SignerSetVersion, r.StateRoot, new Timestamp(r.CommittedAt.UnixMilliseconds + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(member), member, null),
        };
        var bytes = altered.CanonicalBytes.ToArray();
        Assert.NotEqual(canonical, bytes);
        return bytes;
    }
}
