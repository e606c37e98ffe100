using System.Net;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// Promotion and demotion (SPEC §9, docs/REPLICATION.md "Promotion") as real processes on loopback: a replica is
/// promoted only once the old primary is demoted or unreachable; writes then succeed on it; the old primary follows it;
/// a role survives restarts (a promoted node does not follow its old primary again, a replica does not become a
/// writer); an old primary whose history forked from the new primary's refuses to follow it.
/// </summary>
public sealed class PromotionTests
{
    [Fact]
    public async Task Promote_AfterDemotingThePrimary_WritesSucceedOnTheReplica_AndTheOldPrimaryFollowsIt()
    {
        var primaryDir = Directory.CreateTempSubdirectory("svcr-bluegreen-blue-").FullName;
        var primary = await RegistryProcess.StartAsync(primaryDir);
        var replicaDir = Directory.CreateTempSubdirectory("svcr-bluegreen-green-").FullName;
        var replica = await ReplicaNodes.StartAsync(primary, replicaDir);
        try
        {
            var driver = new Driver(primary);
            for (var i = 0; i < 20; i++)
            {
                await driver.CommitChangesAsync(Driver.Region($"region:bg{i}"));
            }

            await ReplicaNodes.WaitForVersionAsync(replica.Api, 20);

            // The primary still takes writes: refused, and the replica keeps following.
            var (status, refused) = await ReplicaNodes.AdminPostAsync(replica, "/admin/replica/promote", "{\"wait_seconds\":0}");
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("RoleChangeRefused", refused.GetProperty("code").GetString());
            Assert.Equal("primary_writable", refused.GetProperty("reason").GetString());
            Assert.Equal("primary", refused.GetProperty("old_primary_state").GetString());
            await driver.CommitChangesAsync(Driver.Region("region:bg-after-refusal"));
            await ReplicaNodes.WaitForVersionAsync(replica.Api, 21);

            // Demote: the last HEAD it will ever commit; writes answer 503 ReadOnly, the API says demoted.
            var (demotedStatus, demoted) = await ReplicaNodes.AdminPostAsync(primary, "/admin/replica/demote");
            Assert.Equal(HttpStatusCode.OK, demotedStatus);
            Assert.Equal("demoted", demoted.GetProperty("role").GetString());
            Assert.Equal(21, demoted.GetProperty("version").GetInt64());
            using (var write = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(Driver.Region("region:too-late"))))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
                Assert.Equal("ReadOnly", (await Driver.JsonAsync(write)).GetProperty("code").GetString());
                Assert.Equal("demoted", write.Headers.GetValues("X-Registry-Role").Single());
            }

            Assert.Contains("demoted", (await ReplicaNodes.ReadyAsync(primary)).GetProperty("missing").EnumerateArray().Select(m => m.GetString()));

            // Promote: the old primary answers demoted at the replica's HEAD.
            var (promotedStatus, promoted) = await ReplicaNodes.AdminPostAsync(replica, "/admin/replica/promote");
            Assert.True(promotedStatus == HttpStatusCode.OK, promoted.ToString());
            Assert.Equal("primary", promoted.GetProperty("role").GetString());
            Assert.Equal("demoted", promoted.GetProperty("old_primary_state").GetString());
            Assert.Equal(ReplicaNodes.UrlOf(primary) + "/", promoted.GetProperty("old_primary").GetString());
            Assert.Equal(demoted.GetProperty("hash").GetString(), promoted.GetProperty("hash").GetString());
            Assert.Equal("primary", (await Driver.JsonAsync(await replica.Admin.GetAsync("/version"))).GetProperty("role").GetString());
            Assert.True((await ReplicaNodes.ReadyAsync(replica)).GetProperty("write_ready").GetBoolean());
            // A promoted node exports no replica sample (alerts that leave replicas out cover it again).
            var samples = (await replica.Admin.GetStringAsync("/metrics")).Split('\n').Where(l => !l.StartsWith('#')).ToList();
            Assert.DoesNotContain(samples, l => l.StartsWith("registry_replica_", StringComparison.Ordinal));
            Assert.Contains(samples, l => l.StartsWith("registry_head_version 21", StringComparison.Ordinal));

            var newPrimary = new Driver(replica);
            Assert.Equal(22, await newPrimary.CommitChangesAsync(Driver.Region("region:green-1")));
            Assert.Contains(replica.Lines, l => l.Contains("role: promoted to primary at version 21", StringComparison.Ordinal));

            // A restart with the same arguments (--follow the old primary) keeps it the primary.
            await replica.StopAsync();
            await replica.DisposeAsync();
            replica = await ReplicaNodes.StartAsync(ReplicaNodes.UrlOf(primary), replicaDir);
            await replica.WaitForLineAsync(l => l.Contains("is ignored: this node was promoted to primary at version 21", StringComparison.Ordinal), ReplicaNodes.Deadline);
            Assert.Equal("primary", (await Driver.JsonAsync(await replica.Admin.GetAsync("/version"))).GetProperty("role").GetString());
            newPrimary = new Driver(replica);
            Assert.Equal(23, await newPrimary.CommitChangesAsync(Driver.Region("region:green-2")));

            // The old primary, restarted as a replica of the new one, catches up and refers writes to it.
            await primary.StopAsync();
            await primary.DisposeAsync();
            primary = await ReplicaNodes.StartAsync(replica, primaryDir);
            await ReplicaNodes.WaitForVersionAsync(primary.Api, 23);
            Assert.Equal(await ReplicaNodes.BytesAsync(replica.Api, "/registry/head"), await ReplicaNodes.BytesAsync(primary.Api, "/registry/head"));
            Assert.Equal((await ReplicaNodes.LogPagesAsync(replica.Api, 23))[0], (await ReplicaNodes.LogPagesAsync(primary.Api, 23))[0]);
            using (var write = await new Driver(primary).PostAsync("/registry/proposals", "{}"))
            {
                Assert.Equal(HttpStatusCode.MisdirectedRequest, write.StatusCode);
                Assert.Equal(ReplicaNodes.UrlOf(replica) + "/", (await Driver.JsonAsync(write)).GetProperty("primary").GetString());
            }

            Assert.Equal(24, await newPrimary.CommitChangesAsync(Driver.Region("region:green-3")));
            await ReplicaNodes.WaitForVersionAsync(primary.Api, 24);
        }
        finally
        {
            await primary.DisposeAsync();
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Promote_WhenThePrimaryIsGone_PromotesTheInSyncReplica_AndAForkedOldPrimaryRefusesToFollowIt()
    {
        var primaryDir = Directory.CreateTempSubdirectory("svcr-failover-old-").FullName;
        var primary = await RegistryProcess.StartAsync(primaryDir);
        var replicaDir = Directory.CreateTempSubdirectory("svcr-failover-new-").FullName;
        await using var replica = await ReplicaNodes.StartAsync(primary, replicaDir);
        var driver = new Driver(primary);
        for (var i = 0; i < 10; i++)
        {
            await driver.CommitChangesAsync(Driver.Region($"region:fo{i}"));
        }

        await ReplicaNodes.WaitForVersionAsync(replica.Api, 10);
        var inSync = await ReplicaNodes.ReadyAsync(replica);
        Assert.Equal(0, inSync.GetProperty("replica").GetProperty("lag_versions").GetInt64());
        await primary.KillAsync();
        await primary.DisposeAsync();

        var (status, promoted) = await ReplicaNodes.AdminPostAsync(replica, "/admin/replica/promote", "{\"wait_seconds\":0}");
        Assert.True(status == HttpStatusCode.OK, promoted.ToString());
        Assert.Equal("unreachable", promoted.GetProperty("old_primary_state").GetString());
        Assert.Equal(10, promoted.GetProperty("version").GetInt64());
        var newPrimary = new Driver(replica);
        Assert.Equal(11, await newPrimary.CommitChangesAsync(Driver.Region("region:new-11")));

        // The old primary comes back on its own and takes a commit the new primary never saw: its history forks at 11.
        await using (var stray = await RegistryProcess.StartAsync(primaryDir))
        {
            Assert.Equal(11, await new Driver(stray).CommitChangesAsync(Driver.Region("region:stray-11")));
            await stray.StopAsync();
        }

        await using var follower = await ReplicaNodes.StartAsync(replica, primaryDir);
        await ReplicaNodes.WaitForHaltAsync(follower);
        var ready = (await ReplicaNodes.ReadyAsync(follower)).GetProperty("replica");
        Assert.Equal("halted", ready.GetProperty("phase").GetString());
        Assert.Equal(11, ready.GetProperty("halted_version").GetInt64());
        Assert.Contains("fork", ready.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(primaryDir, "replica-conflict-v11.json")));
        Assert.Equal(11, await ReplicaNodes.HeadVersionAsync(follower.Api));
        Assert.NotEqual(
            (await Driver.JsonAsync(await replica.Api.GetAsync("/registry/head"))).GetProperty("hash").GetString(),
            (await Driver.JsonAsync(await follower.Api.GetAsync("/registry/head"))).GetProperty("hash").GetString());
    }

    [Fact]
    public async Task Replica_RestartedWithoutFollow_RefusesToStart_AndADemotedPrimaryStaysReadOnly()
    {
        await using var primary = await RegistryProcess.StartAsync();
        var replicaDir = Directory.CreateTempSubdirectory("svcr-role-replica-").FullName;
        var replica = await ReplicaNodes.StartAsync(primary, replicaDir);
        await new Driver(primary).CommitChangesAsync(Driver.Region("region:role-1"));
        await ReplicaNodes.WaitForVersionAsync(replica.Api, 1);
        await replica.StopAsync();
        await replica.DisposeAsync();

        // Without --follow, a replica's data directory does not silently become a writer: exit 2, saying why.
        await using (var writer = await RegistryProcess.StartAsync(replicaDir, waitReady: false))
        {
            Assert.Equal(2, await writer.WaitForExitAsync(ReplicaNodes.Deadline));
            Assert.Contains(writer.Lines, l => l.Contains("this data directory belongs to a replica", StringComparison.Ordinal));
        }

        // A demoted primary stays demoted across a restart (until it follows, or the demotion is undone).
        var (demotedStatus, _) = await ReplicaNodes.AdminPostAsync(primary, "/admin/replica/demote");
        Assert.Equal(HttpStatusCode.OK, demotedStatus);
        await primary.StopAsync();
        await using var restarted = await RegistryProcess.StartAsync(primary.DataDir);
        Assert.Equal("demoted", (await Driver.JsonAsync(await restarted.Admin.GetAsync("/version"))).GetProperty("role").GetString());
        using (var write = await new Driver(restarted).PostAsync("/registry/proposals", await new Driver(restarted).ProposalJsonAsync(Driver.Region("region:role-2"))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        }

        var (refusedStatus, refused) = await ReplicaNodes.AdminPostAsync(restarted, "/admin/replica/promote");
        Assert.Equal(HttpStatusCode.Conflict, refusedStatus);
        Assert.Equal("demoted", refused.GetProperty("reason").GetString());
        var (resumedStatus, resumed) = await ReplicaNodes.AdminPostAsync(restarted, "/admin/replica/promote", "{\"resume_demoted\":true}");
        Assert.True(resumedStatus == HttpStatusCode.OK, resumed.ToString());
        Assert.Equal(2, await new Driver(restarted).CommitChangesAsync(Driver.Region("region:role-2")));

        // Without a token the role endpoints answer 401, whatever the body.
        using var anonymous = await restarted.Admin.PostAsync("/admin/replica/demote", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
