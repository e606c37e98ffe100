using System.Net;
using System.Text;
using Registry.Api.Tests.Support;
using Registry.Core.Auth;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>Every rejection code of SPEC §2, each reached by a request that must change nothing.</summary>
public sealed class RejectionTests : IAsyncLifetime
{
    private RegistryProcess _service = null!;
    private Driver _driver = null!;
    private string _pendingId = null!;

    public async Task InitializeAsync()
    {
        _service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        _driver = new Driver(_service);
        await _driver.CommitChangesAsync(Driver.Region("region:eu"));
        _pendingId = await _driver.ProposeAsync(Driver.Node("node:x", "region:eu"));
        await _driver.ApproveAsync(_pendingId, 1);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task EveryRejection_ReturnsItsCodeAndWritesNothing()
    {
        var stale = """{"base_version":0,"base_hash":"sha256:0000000000000000000000000000000000000000000000000000000000000000","changes":[{"op":"delete","id":"region:eu"}],"expires_at":"2099-01-01T00:00:00Z"}""";
        var cases = new (string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Code)[]
        {
            ("bad json", () => _driver.PostAsync("/registry/proposals", "{\"base_version\":"), HttpStatusCode.BadRequest, "Malformed"),
            ("unknown field", async () => await _driver.PostAsync("/registry/proposals", (await _driver.ProposalJsonAsync(Driver.Region("region:a"))).Replace("\"note\"", "\"surprise\":1,\"note\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "Malformed"),
            ("non-canonical number", async () => await _driver.PostAsync("/registry/proposals", (await _driver.ProposalJsonAsync(Driver.Region("region:a"))).Replace("\"base_version\":1", "\"base_version\":1.0", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "Malformed"),
            ("bad descriptor id", async () => await _driver.PostAsync("/registry/proposals", await _driver.ProposalJsonAsync(Driver.Region("Region EU!"))), HttpStatusCode.BadRequest, "Malformed"),
            ("bad base64", () => _driver.PostAsync($"/registry/approvals/{_pendingId}", """{"signer_id":"dev-signer-2","algo":"ed25519","sig":"not base64!"}"""), HttpStatusCode.BadRequest, "Malformed"),
            ("bad proposal id", () => _driver.PostAsync("/registry/commit/sha256:xyz", null), HttpStatusCode.BadRequest, "Malformed"),
            ("no token", () => _driver.PostAsync("/registry/proposals", stale, token: string.Empty), HttpStatusCode.Unauthorized, "Unauthorized"),
            ("forged token", () => _driver.PostAsync("/registry/proposals", stale, token: Driver.Token[..^4] + "AAAA"), HttpStatusCode.Unauthorized, "Unauthorized"),
            ("missing scope", () => _driver.PostAsync($"/registry/commit/{_pendingId}", null, token: CapabilityToken.Attenuate(Driver.Token, "scope=registry:propose")), HttpStatusCode.Forbidden, "Forbidden"),
            ("unknown version", () => _service.Api.GetAsync("/registry/99"), HttpStatusCode.NotFound, "NotFound"),
            ("unknown proposal", () => _driver.PostAsync("/registry/commit/sha256:" + new string('a', 64), null), HttpStatusCode.NotFound, "NotFound"),
            ("wrong method", () => _service.Api.DeleteAsync("/registry/head"), HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"),
            ("stale base", () => _driver.PostAsync("/registry/proposals", stale), HttpStatusCode.Conflict, "ChainMismatch"),
            ("duplicate approval", () => _driver.PostAsync($"/registry/approvals/{_pendingId}", Driver.ApprovalJson(_pendingId, 1)), HttpStatusCode.Conflict, "DuplicateApproval"),
            ("expired", async () => await _driver.PostAsync("/registry/proposals", (await _driver.ProposalJsonAsync(Driver.Region("region:a"))).Replace("2099-01-01", "2001-01-01", StringComparison.Ordinal)), HttpStatusCode.Gone, "ProposalExpired"),
            ("too large", () => _driver.PostAsync("/registry/proposals", "{\"note\":\"" + new string('x', 1_100_000) + "\"}", expectContinue: true), HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge"),
            ("wrong media type", () => _driver.PostAsync("/registry/proposals", stale, contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType"),
            ("bad signature", () => _driver.PostAsync($"/registry/approvals/{_pendingId}", Driver.ApprovalJson(_pendingId, 2).Replace("dev-signer-2", "dev-signer-3", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "InvalidSig"),
            ("unknown signer", () => _driver.PostAsync($"/registry/approvals/{_pendingId}", Driver.ApprovalJson(_pendingId, 2).Replace("dev-signer-2", "mallory", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "UnknownSigner"),
            ("quorum", () => _driver.PostAsync($"/registry/commit/{_pendingId}", null), HttpStatusCode.UnprocessableEntity, "QuorumFailed"),
            ("invalid descriptor", async () => await _driver.PostAsync("/registry/proposals", await _driver.ProposalJsonAsync("""{"op":"put","descriptor":{"kind":"node","id":"node:y","attrs":{"region":"region:eu"}}}""")), HttpStatusCode.UnprocessableEntity, "InvalidDescriptor"),
            ("dangling reference", async () => await _driver.PostAsync("/registry/proposals", await _driver.ProposalJsonAsync(Driver.Node("node:y", "region:nowhere"))), HttpStatusCode.UnprocessableEntity, "DanglingReference"),
            ("region still referenced", async () => await _driver.PostAsync("/registry/proposals", await _driver.ProposalJsonAsync(Driver.Node("node:z", "region:eu"), Driver.Delete("region:eu"))), HttpStatusCode.UnprocessableEntity, "DanglingReference"),
        };

        var before = await SnapshotAsync();
        foreach (var (name, send, status, code) in cases)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{name}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"\"code\":\"{code}\"", body, StringComparison.Ordinal);
            Assert.Contains("\"corr_id\":\"", body, StringComparison.Ordinal);
            Assert.True(before == await SnapshotAsync(), $"{name} changed the registry");
        }
    }

    [Fact]
    public async Task ReadOnlyMode_WritesAnswer503ReadOnly_ReadsContinue()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia", "--read-only"]);
        var driver = new Driver(service);
        using var response = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(Driver.Region("region:a")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"code\":\"ReadOnly\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, (await driver.HeadAsync()).GetProperty("version").GetInt64());
        using var ready = await service.Admin.GetAsync("/readyz");
        var readiness = await Driver.JsonAsync(ready);
        Assert.True(readiness.GetProperty("ready").GetBoolean());
        Assert.False(readiness.GetProperty("write_ready").GetBoolean());
    }

    [Fact]
    public async Task InflightCapReached_Answers429BusyWithRetryAfter()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LIMITS__MAX_INFLIGHT"] = "1" });
        await using var stream = await SseReader.OpenAsync(service.Api);
        using var response = await service.Api.GetAsync("/registry/head");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("\"code\":\"Busy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private async Task<string> SnapshotAsync()
    {
        using var head = await _service.Api.GetAsync("/registry/head");
        using var proposals = await _service.Api.GetAsync("/registry/proposals");
        return await head.Content.ReadAsStringAsync() + await proposals.Content.ReadAsStringAsync();
    }
}
