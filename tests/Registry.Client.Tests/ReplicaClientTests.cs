using Registry.Client.Models;
using Registry.Client.Tests.Support;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>
/// The SDK against read replicas (SPEC §9): writes sent to a replica follow its 421 NotPrimary to the primary once;
/// reads stay on the node given; WatchAsync from a position a lagging replica does not have yet waits for it, and
/// from a position a node will never have ends with Diverged.
/// </summary>
public sealed class ReplicaClientTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);
    private static readonly WatchOptions s_fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Writes_ThroughAReplica_FollowNotPrimaryToThePrimary_ReadsStayOnTheReplica()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var replica = await StartReplicaAsync(primary.ApiPort);
        var client = ClientFor(replica.ApiPort);

        var receipt = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:via-replica")));
        foreach (var n in new[] { 1, 2 })
        {
            using var key = Dev.Key(n);
            await client.ApproveAsync(receipt.ProposalId, Approval.Sign($"dev-signer-{n}", key, receipt.ProposalId));
        }

        var commit = await client.CommitAsync(receipt.ProposalId);
        Assert.Equal(1, commit.Version);
        Assert.Equal(commit.Hash, (await ClientFor(primary.ApiPort).GetHeadAsync()).Hash);

        // Reads are the replica's own: its watch shows the commit once it has verified and stored it.
        await using var watch = client.WatchAsync(0, s_fast).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(s_deadline));
        Assert.Equal(commit.Hash, watch.Current.Hash);

        var strict = new RegistryClient(new HttpClient(), new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{replica.ApiPort}"), Token = Dev.Token, FollowNotPrimary = false });
        var error = await Assert.ThrowsAsync<RegistryClientException>(() => strict.CommitAsync(receipt.ProposalId));
        Assert.Equal("NotPrimary", error.Code);
        Assert.Equal(421, error.StatusCode);
    }

    [Fact]
    public async Task WatchAsync_FromPastALaggingReplicasHead_WaitsForIt_ThenYieldsTheNextCommitLinked()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var direct = ClientFor(primary.ApiPort);
        for (var i = 1; i <= 3; i++)
        {
            await Dev.CommitAsync(direct, Dev.Region($"region:lag{i}"));
        }

        var third = await direct.GetHeadAsync();

        // The replica cannot reach the primary yet: it serves version 0 while the watch asks for what follows 3.
        await using var proxy = new LoopbackProxy(primary.ApiPort);
        proxy.Cut();
        await using var replica = await StartReplicaAsync(proxy.Port, new Dictionary<string, string> { ["SVCR_REPLICA__RESUME_WAIT_SECONDS"] = "1" });
        await using var watch = ClientFor(replica.ApiPort).WatchAsync(3, s_fast).GetAsyncEnumerator();
        var next = watch.MoveNextAsync().AsTask();

        proxy.Resume();
        var fourth = await Dev.CommitAsync(direct, Dev.Region("region:lag4"));
        Assert.True(await next.WaitAsync(s_deadline));
        Assert.Equal(fourth, watch.Current.Version);
        Assert.Equal(third.Hash, watch.Current.PrevHash);
    }

    [Fact]
    public async Task WatchAsync_FromPastAPrimarysHead_EndsWithDiverged()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var client = ClientFor(primary.ApiPort);
        await Dev.CommitAsync(client, Dev.Region("region:only"));

        await using var watch = client.WatchAsync(5, s_fast).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<RegistryClientException>(() => watch.MoveNextAsync().AsTask().WaitAsync(s_deadline));
        Assert.Equal(RegistryClientErrorCodes.Diverged, error.Code);
        Assert.Contains("not in its history", error.Message, StringComparison.Ordinal);
    }

    private static Task<RegistryProcess> StartReplicaAsync(int upstreamPort, IDictionary<string, string>? env = null) =>
        RegistryProcess.StartAsync(args: ["--amnesia", "--follow", $"http://127.0.0.1:{upstreamPort}"], env: env);

    private static RegistryClient ClientFor(int port) =>
        new(new HttpClient(), new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Token = Dev.Token });
}
