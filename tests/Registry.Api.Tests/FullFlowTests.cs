using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>propose → 2 of 3 approvals → commit against the real process, then every read of the result.</summary>
public sealed class FullFlowTests
{
    [Fact]
    public async Task ProposeApproveCommit_TwoOfThree_VisibleInHeadSnapshotDescriptorLogAndStream()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await using var stream = await SseReader.OpenAsync(service.Api);

        var id = await driver.ProposeAsync(Driver.Region("region:eu", "Europe"), Driver.Node("node:a", "region:eu"));
        using (var proposal = await service.Api.GetAsync($"/registry/proposals/{id}"))
        {
            var view = await Driver.JsonAsync(proposal);
            Assert.Equal("pending", view.GetProperty("status").GetString());
            Assert.Equal(2, view.GetProperty("quorum").GetProperty("m").GetInt32());
            Assert.Equal(3, view.GetProperty("quorum").GetProperty("n").GetInt32());
        }

        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 3);
        var commit = await driver.CommitAsync(id);
        Assert.Equal(1, commit.GetProperty("version").GetInt64());

        var head = await driver.HeadAsync();
        Assert.Equal(1, head.GetProperty("version").GetInt64());
        Assert.Equal(2, head.GetProperty("descriptor_count").GetInt32());
        Assert.Equal(commit.GetProperty("hash").GetString(), head.GetProperty("hash").GetString());

        using var snapshot = await service.Api.GetAsync("/registry/1");
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Contains("immutable", snapshot.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var items = (await Driver.JsonAsync(snapshot)).GetProperty("items");
        Assert.Equal<string>(["node:a", "region:eu"], items.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList());

        using var described = await service.Api.GetAsync("/registry/1/descriptors/node:a");
        var body = await Driver.JsonAsync(described);
        var descriptor = Descriptor.FromJson(body.GetProperty("descriptor"));
        var proof = InclusionProof.FromJson(body.GetProperty("proof"));
        Assert.True(proof.Verify(descriptor, Digest.Parse(head.GetProperty("state_root").GetString()!)));

        using var log = await service.Api.GetAsync("/registry/log?from=1");
        var records = (await Driver.JsonAsync(log)).EnumerateArray().ToList();
        var record = Assert.Single(records);
        Assert.Equal(id, record.GetProperty("proposal_id").GetString());
        Assert.Equal(2, record.GetProperty("approvals").GetArrayLength());

        var streamed = await stream.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("commit", 1L), (streamed!.Value.Type, streamed.Value.Version));
        Assert.Equal(head.GetProperty("hash").GetString(), streamed.Value.Data.GetProperty("hash").GetString());
        Assert.Equal(2, streamed.Value.Data.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task Head_IfNoneMatchCurrentETag_Returns304()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var first = await service.Api.GetAsync("/registry/head");
        var etag = first.Headers.ETag!.Tag;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/head");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var second = await service.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Snapshot_ImmutableBody_StrongETag304AndGzipOnRequest()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var id = await driver.ProposeAsync(Driver.Region("region:eu", "Europe"), Driver.Node("node:a", "region:eu"));
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);
        var hash = (await driver.CommitAsync(id)).GetProperty("hash").GetString();

        using var plain = await service.Api.GetAsync("/registry/1");
        var body = await plain.Content.ReadAsByteArrayAsync();
        Assert.Equal($"\"{hash}\"", plain.Headers.ETag!.Tag);
        Assert.False(plain.Headers.ETag.IsWeak);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "/registry/1");
        gzipRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var gzipped = await service.Api.SendAsync(gzipRequest);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        var compressed = await gzipped.Content.ReadAsByteArrayAsync();
        using var inflated = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(inflated);
        }

        Assert.Equal(body, inflated.ToArray());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/registry/1");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", plain.Headers.ETag.Tag);
        using var notModified = await service.Api.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Commit_Retried_ReturnsSameVersion()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var id = await driver.ProposeAsync(Driver.Region("region:us"));
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);
        var first = await driver.CommitAsync(id);
        var again = await driver.CommitAsync(id);
        Assert.Equal(first.GetProperty("version").GetInt64(), again.GetProperty("version").GetInt64());
        Assert.Equal(first.GetProperty("hash").GetString(), again.GetProperty("hash").GetString());
        Assert.Equal(1, (await driver.HeadAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Propose_SameDocumentTwice_SameIdAndOneProposal()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var json = await driver.ProposalJsonAsync(Driver.Region("region:ap"));
        using var first = await driver.PostAsync("/registry/proposals", json);
        using var second = await driver.PostAsync("/registry/proposals", json);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(
            (await Driver.JsonAsync(first)).GetProperty("proposal_id").GetString(),
            (await Driver.JsonAsync(second)).GetProperty("proposal_id").GetString());
        using var list = await service.Api.GetAsync("/registry/proposals");
        Assert.Equal(1, (await Driver.JsonAsync(list)).GetProperty("proposals").GetArrayLength());
    }
}
