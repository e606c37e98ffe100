using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Registry.Client.Models;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>Every endpoint through the SDK against a real svc-registry (dev mode, --amnesia).</summary>
public sealed class RegistryClientTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task FullFlow_ProposeApproveCommit_HeadGetAndLogAgree()
    {
        var client = fixture.Client();
        var before = await client.GetHeadAsync();

        var receipt = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:flow"), Dev.Node("node:flow", "region:flow")));
        Assert.Equal(receipt.Proposal.Id, receipt.ProposalId);
        Assert.Equal("ron-dev", receipt.Proposal.Registry);

        using (var key = Dev.Key(1))
        {
            var first = await client.SignAndApproveAsync(receipt.ProposalId, "dev-signer-1", key);
            Assert.Equal(ProposalStatus.Pending, first.Status);
            Assert.Equal(new QuorumStatus(1, 2, 3), first.Quorum);
        }

        using (var key = Dev.Key(2))
        {
            var second = await client.SignAndApproveAsync(receipt.ProposalId, "dev-signer-2", key);
            Assert.Equal(ProposalStatus.Approved, second.Status);
            Assert.True(second.Quorum.IsMet);
        }

        var commit = await client.CommitAsync(receipt.ProposalId);
        Assert.Equal(before.Version + 1, commit.Version);
        Assert.Equal(commit, await client.CommitAsync(receipt.ProposalId));

        var head = await client.GetHeadAsync();
        Assert.Equal(commit.Version, head.Version);
        Assert.Equal(commit.Hash, head.Hash);
        Assert.Equal(before.Hash, head.PrevHash);
        Assert.Equal(receipt.StateRoot, head.StateRoot);

        var proof = await client.GetDescriptorAsync(head.Version, "node:flow");
        Assert.True(RegistryVerifier.VerifyInclusion(proof, head));
        var snapshot = await client.GetSnapshotAsync(head.Version);
        Assert.Contains(snapshot.Items, d => d.Id == "node:flow");
        Assert.True(RegistryVerifier.VerifyInclusion(proof, snapshot.Commit!));

        var log = await client.GetLogAsync(commit.Version, 10);
        Assert.Equal(commit.Hash, Assert.Single(log).Hash);
        var view = await client.GetProposalAsync(receipt.ProposalId);
        Assert.Equal(ProposalStatus.Committed, view.Status);
        Assert.Equal(commit.Version, view.Version);
    }

    [Fact]
    public async Task ProposeAsync_SameDocumentTwice_ReturnsSameId()
    {
        var client = fixture.Client();
        var document = await Dev.ProposalAsync(client, Dev.Region("region:idem"));
        var first = await client.ProposeAsync(document);
        var second = await client.ProposeAsync(first.Proposal);
        Assert.Equal(first.ProposalId, second.ProposalId);
        Assert.Contains(await client.ListProposalsAsync(ProposalStatus.Pending), p => p.ProposalId == first.ProposalId);
    }

    [Fact]
    public async Task Errors_EachRejection_SurfacesItsProblemCode()
    {
        var client = fixture.Client();
        var head = await client.GetHeadAsync();

        var missing = await Assert.ThrowsAsync<RegistryClientException>(() => client.GetSnapshotAsync(head.Version + 50));
        Assert.Equal(("NotFound", 404), (missing.Code, missing.StatusCode));
        Assert.Equal(Core.RegistryErrorCode.NotFound, missing.ErrorCode);
        Assert.False(string.IsNullOrEmpty(missing.CorrelationId));

        var anonymous = fixture.Client(token: null);
        var unauthorized = await Assert.ThrowsAsync<RegistryClientException>(async () => await anonymous.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:anon"))));
        Assert.Equal(("Unauthorized", 401), (unauthorized.Code, unauthorized.StatusCode));

        var receipt = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:errors")));
        var quorum = await Assert.ThrowsAsync<RegistryClientException>(() => client.CommitAsync(receipt.ProposalId));
        Assert.Equal(("QuorumFailed", 422), (quorum.Code, quorum.StatusCode));

        using var stranger = Core.Crypto.Ed25519SecretKey.Generate();
        var unknown = await Assert.ThrowsAsync<RegistryClientException>(() => client.SignAndApproveAsync(receipt.ProposalId, "mallory", stranger));
        Assert.Equal("UnknownSigner", unknown.Code);

        using var key = Dev.Key(1);
        await client.SignAndApproveAsync(receipt.ProposalId, "dev-signer-1", key);
        var duplicate = await Assert.ThrowsAsync<RegistryClientException>(() => client.SignAndApproveAsync(receipt.ProposalId, "dev-signer-1", key));
        Assert.Equal(("DuplicateApproval", 409), (duplicate.Code, duplicate.StatusCode));

        var malformed = await Assert.ThrowsAsync<RegistryClientException>(() => client.ProposeAsync(Encoding.UTF8.GetBytes("{\"changes\":[]}")));
        Assert.Equal(("Malformed", 400), (malformed.Code, malformed.StatusCode));
    }

    [Theory]
    [InlineData("socket")]
    [InlineData("io")]
    public async Task GetHeadAsync_TransportFailsWithARawSocketOrIoError_ThrowsUnreachable(string failure)
    {
        // SocketsHttpHandler lets a raw SocketException ("Transport endpoint is not connected") through when a
        // connection is reset right after it was accepted (seen under load through a proxy that drops connections; it
        // left WatchAsync's pump dead). A handler that fails the same way makes the case deterministic.
        using var http = new HttpClient(new FailingHandler(failure == "socket"
            ? new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected)
            : new IOException("connection reset")));
        var client = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri("http://127.0.0.1:9"), MaxRetries = 0 });
        var error = await Assert.ThrowsAsync<RegistryClientException>(() => client.GetHeadAsync());
        Assert.Equal(RegistryClientErrorCodes.Unreachable, error.Code);
        Assert.True(error.IsTransient);
        Assert.IsType(failure == "socket" ? typeof(System.Net.Sockets.SocketException) : typeof(IOException), error.InnerException);
    }

    [Fact]
    public async Task WatchAsync_UnexpectedFailure_EndsTheEnumerationWithItInsteadOfHanging()
    {
        using var http = new HttpClient(new FailingHandler(new InvalidOperationException("a bug below the watch")));
        var client = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri("http://127.0.0.1:9"), MaxRetries = 0 });
        await using var items = client.WatchAsync(0).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => items.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("a bug below the watch", error.Message);
    }

    private sealed class FailingHandler(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(failure);
    }

    [Fact]
    public async Task GetHeadAsync_NothingListening_ThrowsUnreachable()
    {
        using var http = new HttpClient();
        var client = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{RegistryProcess.FreePort()}") });
        var error = await Assert.ThrowsAsync<RegistryClientException>(() => client.GetHeadAsync());
        Assert.Equal(RegistryClientErrorCodes.Unreachable, error.Code);
        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task VerifyChainAsync_HonestChainFromDevGenesis_VerifiesEveryVersion()
    {
        var client = fixture.Client();
        await Dev.CommitAsync(client, Dev.Region("region:verify"));
        var head = await client.GetHeadAsync();
        var progress = new List<VerifyProgress>();

        var report = await client.VerifyChainAsync(Dev.Genesis(), new SyncProgress(progress));

        Assert.True(report.Ok, report.Error);
        Assert.Equal(head.Version, report.Verified);
        Assert.Equal(head.Hash, report.Head.HeadHash);
        Assert.Equal(new VerifyProgress(head.Version, head.Version), progress[^1]);
    }

    [Fact]
    public async Task VerifyChainAsync_OtherTrustRoots_FailsAtVersionZero()
    {
        var report = await fixture.Client().VerifyChainAsync(Dev.Genesis("another-registry"));
        Assert.False(report.Ok);
        Assert.Equal(0, report.FirstBadVersion);
    }

    [Fact]
    public async Task VerifyChain_RecordWithForgedStateRoot_NamesThatVersion()
    {
        var client = fixture.Client();
        await Dev.CommitAsync(client, Dev.Region("region:forge-a"));
        await Dev.CommitAsync(client, Dev.Region("region:forge-b"));
        var records = await client.ReadLogAsync().ToListAsync();
        var victim = records.Count - 2;
        var original = records[victim];
        records[victim] = new CommitRecord(original.Version, original.PrevHash, original.Proposal, original.Approvals, original.SignerSetVersion, Digest.Compute("forged"u8), original.CommittedAt);

        Assert.True(RegistryVerifier.VerifyChain(Dev.Genesis(), records.Take(victim)).Ok);
        var report = RegistryVerifier.VerifyChain("ron-dev", Dev.Genesis().SignerSet, records);
        Assert.False(report.Ok);
        Assert.Equal(original.Version, report.FirstBadVersion);
    }

    [Fact]
    public async Task VerifyInclusion_DescriptorOrHeadAltered_ReturnsFalse()
    {
        var client = fixture.Client();
        await Dev.CommitAsync(client, Dev.Region("region:incl", "Before"));
        var head = await client.GetHeadAsync();
        var proof = await client.GetDescriptorAsync(head.Version, "region:incl");
        Assert.True(RegistryVerifier.VerifyInclusion(proof, head));

        using var altered = System.Text.Json.JsonDocument.Parse("""{"kind":"region","id":"region:incl","attrs":{"name":"After"}}""");
        Assert.False(RegistryVerifier.VerifyInclusion(proof with { Descriptor = Descriptor.FromJson(altered.RootElement) }, head));
        Assert.False(RegistryVerifier.VerifyInclusion(proof, head with { StateRoot = Digest.Compute("other root"u8) }));
    }

    [Fact]
    public async Task AddRegistryClient_FromServiceProvider_TalksToTheService()
    {
        var services = new ServiceCollection();
        services.AddRegistryClient(o =>
        {
            o.BaseAddress = new Uri($"http://127.0.0.1:{fixture.Service.ApiPort}");
            o.AdminAddress = new Uri($"http://127.0.0.1:{fixture.Service.AdminPort}");
        });
        await using var provider = services.BuildServiceProvider();

        var head = await provider.GetRequiredService<RegistryClient>().GetHeadAsync();
        var admin = provider.GetRequiredService<RegistryAdminClient>();
        var ready = await admin.GetReadinessAsync();

        Assert.True(ready.Ready);
        Assert.True(ready.Version >= head.Version);
        Assert.True(await admin.IsHealthyAsync());
        Assert.True((await admin.GetVersionAsync()).Amnesia);
    }

    [Fact]
    public async Task InjectChaosAsync_ChaosDisabled_ThrowsNotFound()
    {
        using var http = new HttpClient();
        var admin = new RegistryAdminClient(http, new Uri($"http://127.0.0.1:{fixture.Service.AdminPort}"));
        var error = await Assert.ThrowsAsync<RegistryClientException>(() => admin.InjectChaosAsync("storage-latency", 50));
        Assert.Equal(404, error.StatusCode);
        await Assert.ThrowsAsync<RegistryClientException>(() => admin.ClearChaosAsync());
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the asserts).</summary>
    private sealed class SyncProgress(List<VerifyProgress> into) : IProgress<VerifyProgress>
    {
        public void Report(VerifyProgress value) => into.Add(value);
    }
}
