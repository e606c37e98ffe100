using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Regression tests for issue 14 (an outside hostile-input run), against one durable dev-mode service with chaos
/// enabled: bad chunked bodies (defect 2), the admin listener's credential and backup directory (3), strict
/// parsing (4), and problem+json wherever the application sees the request (5). Each request is one that must
/// change nothing unless the test says otherwise.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.Fixture fixture) : IClassFixture<HostileInputTests.Fixture>
{
    private static readonly string[] s_badChunkSizes = ["ffffffffffffffffff", "80000000", "7fffffffffffffff", "zz", "-1"];

    private RegistryProcess Service => fixture.Service;

    private Driver Driver => fixture.Driver;

    [Fact]
    public async Task ChunkedBodyWithBadOrOverflowingSize_EveryEndpointThatReadsABody_400MalformedAndNothingChanges()
    {
        var before = await fixture.SnapshotAsync();
        var targets = new (int Port, string Path)[]
        {
            (Service.ApiPort, "/registry/proposals"),
            (Service.ApiPort, $"/registry/approvals/{fixture.PendingId}"),
            (Service.ApiPort, $"/registry/commit/{fixture.PendingId}"),
            (Service.AdminPort, "/admin/backup"),
            (Service.AdminPort, "/admin/chaos"),
        };
        foreach (var (port, path) in targets)
        {
            foreach (var size in s_badChunkSizes)
            {
                var response = await RawHttp.SendAsync(port, RawHttp.Chunked(path, size, Driver.Token, """{"fault":"storage-latency","ms":5}"""));
                var what = $"POST {path} with chunk size '{size[..Math.Min(size.Length, 20)]}'";
                Assert.True(response.Status == 400, $"{what}: {response.Status} {response.Body}");
                Assert.True(response.IsProblem, $"{what}: {response.ContentType}");
                Assert.Equal("Malformed", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
            }
        }

        Assert.Equal(before, await fixture.SnapshotAsync());
        Assert.DoesNotContain(Service.Lines, l => l.Contains("unhandled error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommitWithBodyOverTheCap_413PayloadTooLargeLikeEveryOtherBody()
    {
        var before = await fixture.SnapshotAsync();
        var big = "{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        using (var sized = await Driver.PostAsync($"/registry/commit/{fixture.PendingId}", big, expectContinue: true))
        {
            await AssertProblemAsync(sized, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/registry/commit/{fixture.PendingId}"))
        {
            request.Content = new StringContent(big, Encoding.UTF8, "application/json");
            request.Headers.TransferEncodingChunked = true;
            request.Headers.ExpectContinue = true;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Driver.Token);
            using var chunked = await Service.Api.SendAsync(request);
            await AssertProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        }

        // Within the cap, commit still takes (and ignores) a body: the pending proposal lacks quorum.
        using (var small = await Driver.PostAsync($"/registry/commit/{fixture.PendingId}", "{}"))
        {
            await AssertProblemAsync(small, HttpStatusCode.UnprocessableEntity, "QuorumFailed");
        }

        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Theory]
    [InlineData("expires_at")]
    [InlineData("note")]
    [InlineData("registry")]
    public async Task ProposalMemberNull_400MalformedNotTheDefault(string member)
    {
        var before = await fixture.SnapshotAsync();
        var head = await Driver.HeadAsync();
        var json = $$"""{"base_version":{{head.GetProperty("version").GetInt64()}},"base_hash":"{{head.GetProperty("hash").GetString()}}","changes":[{{Driver.Region("region:null")}}],"{{member}}":null}""";
        using var response = await Driver.PostAsync("/registry/proposals", json);
        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Malformed");
        Assert.Contains(member, body, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task TokenWithUnknownMemberOrNonCanonicalPayload_ValidMac_401OnBothListeners()
    {
        var before = await fixture.SnapshotAsync();
        string[] identifiers =
        [
            """{"admin":true,"exp":4102444800,"id":"dev","kid":"dev-root","scopes":["registry:approve","registry:commit","registry:propose"]}""",
            """{"exp":4102444800,"id":"dev","kid":"dev-root","scopes":["registry:admin","registry:approve","registry:commit","registry:propose"] }""",
            """{"kid":"dev-root","exp":4102444800,"id":"dev","scopes":["registry:admin","registry:approve","registry:commit","registry:propose"]}""",
        ];
        foreach (var identifier in identifiers)
        {
            var bytes = Encoding.UTF8.GetBytes(identifier);
            var forged = CapabilityToken.Prefix + Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(DevCredentials.RootKey(), bytes));
            using var propose = await Driver.PostAsync("/registry/proposals", await Driver.ProposalJsonAsync(Driver.Region("region:forged")), token: forged);
            await AssertProblemAsync(propose, HttpStatusCode.Unauthorized, "Unauthorized");
            using var backup = await PostAdminAsync("/admin/backup", null, forged);
            await AssertProblemAsync(backup, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    public async Task SetSignersWithSmallOrderOrNonCanonicalKey_422InvalidDescriptor(string keyHex)
    {
        var before = await fixture.SnapshotAsync();
        var signers = string.Join(",", Enumerable.Range(1, 3).Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return $$"""{"id":"dev-signer-{{n}}","algo":"ed25519","public_key":"{{key.PublicKey.ToBase64()}}"}""";
        }));
        var weak = Convert.ToBase64String(Convert.FromHexString(keyHex));
        var change = "{\"op\":\"set_signers\",\"signer_set\":{\"version\":2,\"threshold\":2,\"signers\":[" + signers + ",{\"id\":\"weak\",\"algo\":\"ed25519\",\"public_key\":\"" + weak + "\"}]}}";
        using var response = await Driver.PostAsync("/registry/proposals", await Driver.ProposalJsonAsync(change));
        var body = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "InvalidDescriptor");
        Assert.Contains("'weak'", body, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task AdminWriteEndpoints_WithoutTheAdminScope_401Or403AndNothingWritten()
    {
        var before = await fixture.SnapshotAsync();
        var writeOnly = CapabilityToken.Attenuate(Driver.Token, "scope=registry:propose,registry:approve,registry:commit");
        foreach (var (method, path, body) in new[] { ("POST", "/admin/backup", (string?)null), ("POST", "/admin/chaos", """{"fault":"storage-latency","ms":5}"""), ("GET", "/admin/chaos", null), ("DELETE", "/admin/chaos", null) })
        {
            using (var anonymous = await SendAdminAsync(new HttpMethod(method), path, body, token: string.Empty))
            {
                await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Unauthorized");
            }

            using var forbidden = await SendAdminAsync(new HttpMethod(method), path, body, writeOnly);
            Assert.Contains("registry:admin", await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "Forbidden"), StringComparison.Ordinal);
        }

        Assert.Equal(before, await fixture.SnapshotAsync());
        foreach (var open in new[] { "/healthz", "/readyz", "/version", "/metrics" })
        {
            using var response = await Service.Admin.GetAsync(open);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{open}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Backup_TheServerChoosesTheDirectoryUnderBackupDir_AClientPathIsRefused()
    {
        var elsewhere = Path.Combine(Directory.CreateTempSubdirectory("svcr-elsewhere-").FullName, "x");
        var before = await fixture.SnapshotAsync();
        using (var named = await PostAdminAsync("/admin/backup", $$"""{"destination":"{{elsewhere}}"}""", Driver.Token))
        {
            Assert.Contains("storage.backup_dir", await AssertProblemAsync(named, HttpStatusCode.BadRequest, "Malformed"), StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(elsewhere));
        Assert.Equal(before, await fixture.SnapshotAsync());

        var made = new List<string>();
        foreach (var body in new[] { null, "{}" })
        {
            using var response = await PostAdminAsync("/admin/backup", body, Driver.Token);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var directory = JsonDocument.Parse(text).RootElement.GetProperty("directory").GetString()!;
            Assert.Equal(Path.Combine(Service.DataDir, "backups"), Path.GetDirectoryName(directory));
            Assert.Matches("^backup-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$", Path.GetFileName(directory));
            Assert.NotEmpty(Directory.EnumerateFileSystemEntries(directory));
            made.Add(directory);
        }

        Assert.Equal(2, made.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Backup_UnusableBackupDir_409NamingThePathNot503()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-backupdir-").FullName;
        var blocker = Path.Combine(dir, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var backupDir = Path.Combine(blocker, "backups");
        await using var service = await RegistryProcess.StartAsync(Directory.CreateDirectory(Path.Combine(dir, "data")).FullName, env: new Dictionary<string, string> { ["SVCR_STORAGE__BACKUP_DIR"] = backupDir });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/backup");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Driver.Token);
        using var response = await service.Admin.SendAsync(request);
        var body = await AssertProblemAsync(response, HttpStatusCode.Conflict, "BackupDirectoryUnusable");
        Assert.Contains(backupDir, body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    private Task<HttpResponseMessage> PostAdminAsync(string path, string? json, string token) => SendAdminAsync(HttpMethod.Post, path, json, token);

    private Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path, string? json, string token)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Service.Admin.SendAsync(request);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        return body;
    }

    /// <summary>One durable dev-mode service with chaos enabled, a committed region and a proposal with one of two approvals.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal RegistryProcess Service { get; private set; } = null!;

        internal Driver Driver { get; private set; } = null!;

        public string PendingId { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Service = await RegistryProcess.StartAsync(env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
            Driver = new Driver(Service);
            await Driver.CommitChangesAsync(Driver.Region("region:eu"));
            PendingId = await Driver.ProposeAsync(Driver.Node("node:x", "region:eu"));
            await Driver.ApproveAsync(PendingId, 1);
        }

        public async Task DisposeAsync() => await Service.DisposeAsync();

        /// <summary>Everything a hostile request could change: HEAD, the open proposals with their approvals, the injected fault.</summary>
        public async Task<string> SnapshotAsync()
        {
            var head = (await Driver.HeadAsync()).GetProperty("hash").GetString();
            var proposals = await Service.Api.GetStringAsync("/registry/proposals");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/chaos");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Driver.Token);
            using var chaos = await Service.Admin.SendAsync(request);
            return $"{head}\n{proposals}\n{await chaos.Content.ReadAsStringAsync()}";
        }
    }
}
