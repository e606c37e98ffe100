using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// Verifying read replicas (SPEC §9) as real processes on loopback: a primary, a replica of it and a replica of that
/// replica end with the same HEAD, record bytes, snapshots and proofs; a replica's stream shows every version once in
/// order; a SIGKILLed replica resumes from its own data; every write to a replica answers 421 NotPrimary.
/// </summary>
public sealed partial class ReplicaTests
{
    [Fact]
    public async Task Replicas_ChainedBehindAPrimaryUnderLoad_EndWithTheSameHeadBytesAndProofs()
    {
        const int Writers = 4;
        const int PerWriter = 75;
        const int Total = Writers * PerWriter;
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var first = await ReplicaNodes.StartAsync(primary);
        await using var second = await ReplicaNodes.StartAsync(first, amnesia: true);

        // Subscribed before any commit: the second replica's stream must show every version once, in order.
        await using var subscriber = await SseReader.OpenAsync(second.Api, 0);
        var seen = Task.Run(async () =>
        {
            var versions = new List<long>();
            while (versions.Count < Total)
            {
                var next = await subscriber.NextAsync(ReplicaNodes.Deadline);
                Assert.True(next is not null, $"the replica's stream ended after {versions.Count} commits");
                versions.Add(next!.Value.Version);
            }

            return versions;
        });

        var driver = new Driver(primary);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await driver.CommitChangesAsync(Driver.Region($"region:w{w}-{i % 50}", $"Writer {w} round {i}"));
            }
        })));

        Assert.Equal(Enumerable.Range(1, Total).Select(v => (long)v), await seen);
        await ReplicaNodes.WaitForVersionAsync(first.Api, Total);
        await ReplicaNodes.WaitForVersionAsync(second.Api, Total);

        var expectedHead = await ReplicaNodes.BytesAsync(primary.Api, "/registry/head");
        var expectedLog = await ReplicaNodes.LogPagesAsync(primary.Api, Total);
        var expectedSnapshot = await ReplicaNodes.BytesAsync(primary.Api, $"/registry/{Total}");
        var expectedProof = await ReplicaNodes.BytesAsync(primary.Api, $"/registry/{Total}/descriptors/region:w2-7");
        var expectedOldProof = await ReplicaNodes.BytesAsync(primary.Api, "/registry/40/descriptors/region:w0-1");
        foreach (var replica in new[] { first, second })
        {
            Assert.Equal(expectedHead, await ReplicaNodes.BytesAsync(replica.Api, "/registry/head"));
            var log = await ReplicaNodes.LogPagesAsync(replica.Api, Total);
            Assert.Equal(expectedLog.Count, log.Count);
            for (var i = 0; i < log.Count; i++)
            {
                Assert.Equal(expectedLog[i], log[i]);
            }

            Assert.Equal(expectedSnapshot, await ReplicaNodes.BytesAsync(replica.Api, $"/registry/{Total}"));
            Assert.Equal(expectedProof, await ReplicaNodes.BytesAsync(replica.Api, $"/registry/{Total}/descriptors/region:w2-7"));
            Assert.Equal(expectedOldProof, await ReplicaNodes.BytesAsync(replica.Api, "/registry/40/descriptors/region:w0-1"));

            var ready = await ReplicaNodes.ReadyAsync(replica);
            Assert.True(ready.GetProperty("ready").GetBoolean());
            var status = ready.GetProperty("replica");
            Assert.True(status.GetProperty("in_sync").GetBoolean(), status.ToString());
            Assert.Equal(Total, status.GetProperty("version").GetInt64());
            Assert.Equal(Total, status.GetProperty("upstream_version").GetInt64());
            Assert.Equal(0, status.GetProperty("lag_versions").GetInt64());
        }

        // The second replica follows the first, but names the primary for writes (learned from the first's header).
        Assert.Equal(ReplicaNodes.UrlOf(first) + "/", (await ReplicaNodes.ReadyAsync(second)).GetProperty("replica").GetProperty("upstream").GetString());
        Assert.Equal(ReplicaNodes.UrlOf(primary) + "/", (await ReplicaNodes.ReadyAsync(second)).GetProperty("replica").GetProperty("primary").GetString());
        var metrics = await second.Admin.GetStringAsync("/metrics");
        Assert.Contains("registry_replica_in_sync 1", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_replica_lag_versions 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"registry_head_version {Total}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replica_SigkilledMidLoad_ResumesFromItsOwnDataWithoutGapOrDuplicate()
    {
        const int Total = 160;
        await using var primary = await RegistryProcess.StartAsync();
        var replicaDir = Directory.CreateTempSubdirectory("svcr-replica-kill-").FullName;
        var replica = await ReplicaNodes.StartAsync(primary, replicaDir);
        var driver = new Driver(primary);
        var load = Task.Run(async () =>
        {
            for (var i = 1; i <= Total; i++)
            {
                await driver.CommitChangesAsync(Driver.Region($"region:k{i % 40}", $"Round {i}"));
            }
        });

        await ReplicaNodes.WaitForVersionAsync(replica.Api, 40);
        await replica.KillAsync();
        await replica.DisposeAsync();
        await load;

        await using var restarted = await ReplicaNodes.StartAsync(primary, replicaDir);
        var following = await restarted.WaitForLineAsync(l => l.Contains("replica: following", StringComparison.Ordinal), ReplicaNodes.Deadline);
        var resumedAt = long.Parse(FromVersion().Match(following).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(resumedAt >= 40, $"the restarted replica started from version {resumedAt}, not from its own data: {following}");

        await ReplicaNodes.WaitForVersionAsync(restarted.Api, Total);
        await using var stream = await SseReader.OpenAsync(restarted.Api, 0);
        for (long v = 1; v <= Total; v++)
        {
            var next = await stream.NextAsync(ReplicaNodes.Deadline);
            Assert.Equal(v, next!.Value.Version);
        }

        var expected = await ReplicaNodes.LogPagesAsync(primary.Api, Total);
        var actual = await ReplicaNodes.LogPagesAsync(restarted.Api, Total);
        Assert.Equal(expected[0], actual[0]);
        Assert.Equal(await ReplicaNodes.BytesAsync(primary.Api, "/registry/head"), await ReplicaNodes.BytesAsync(restarted.Api, "/registry/head"));
    }

    [Theory]
    [InlineData("/registry/proposals", "{\"changes\":[]}")]
    [InlineData("/registry/proposals", "not json at all")]
    [InlineData("/registry/approvals/sha256:0000000000000000000000000000000000000000000000000000000000000000", "{}")]
    [InlineData("/registry/commit/sha256:0000000000000000000000000000000000000000000000000000000000000000", null)]
    [InlineData("/registry/commits", "{\"proposal\":{},\"approvals\":[]}")]
    public async Task Writes_ToAReplica_Answer421NotPrimary_NamingThePrimary_WhateverTheBodyOrToken(string path, string? body)
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var replica = await ReplicaNodes.StartAsync(primary, amnesia: true);
        var driver = new Driver(replica);
        foreach (var token in new[] { Driver.Token, "" })
        {
            using var response = await driver.PostAsync(path, body, token);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await Driver.JsonAsync(response);
            Assert.Equal("NotPrimary", problem.GetProperty("code").GetString());
            Assert.Equal(421, problem.GetProperty("status").GetInt32());
            Assert.Equal(ReplicaNodes.UrlOf(primary) + "/", problem.GetProperty("primary").GetString());
        }

        // Nothing was written: the primary and the replica are both still at genesis.
        Assert.Equal(0, await ReplicaNodes.HeadVersionAsync(primary.Api));
        Assert.Equal(0, await ReplicaNodes.HeadVersionAsync(replica.Api));
    }

    [Fact]
    public async Task Replica_SetByTheEnvironment_ReportsItsRole_AndIsNeverWriteReady()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var replica = await RegistryProcess.StartAsync(
            args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_REPLICA__PRIMARY"] = ReplicaNodes.UrlOf(primary) });
        await new Driver(primary).CommitChangesAsync(Driver.Region("region:role"));
        await ReplicaNodes.WaitForVersionAsync(replica.Api, 1);

        var ready = await ReplicaNodes.ReadyAsync(replica);
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.False(ready.GetProperty("write_ready").GetBoolean());
        Assert.Contains("not_primary", ready.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var version = await Driver.JsonAsync(await replica.Admin.GetAsync("/version"));
        Assert.Equal("replica", version.GetProperty("role").GetString());
        Assert.Equal(1, version.GetProperty("replica").GetProperty("version").GetInt64());
        Assert.Equal("primary", (await Driver.JsonAsync(await primary.Admin.GetAsync("/version"))).GetProperty("role").GetString());
        Assert.False((await ReplicaNodes.ReadyAsync(primary)).TryGetProperty("replica", out _));
        using var head = await replica.Api.GetAsync("/registry/head");
        Assert.Equal(ReplicaNodes.UrlOf(primary) + "/", head.Headers.GetValues("X-Registry-Primary").Single());
    }

    [GeneratedRegex("from version (\\d+)")]
    private static partial Regex FromVersion();
}
