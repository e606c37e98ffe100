using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Issue 12, stage C, against a real process: bounds on proposals held answer 429 Busy naming the bound; a proposal
/// dropped after its retention says so in its view, across a restart; and a stream subscriber told about version v
/// can read v at once.
/// </summary>
public sealed class ProposalBoundsTests
{
    [Fact]
    public async Task Propose_PastThePerTokenBound_Is429BusyNamingTheBound_WhileAnotherTokenIsAccepted()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LIMITS__PENDING_MAX_PER_TOKEN"] = "2" });
        var driver = new Driver(service);
        await driver.ProposeAsync(Driver.Region("region:a"));
        await driver.ProposeAsync(Driver.Region("region:b"));

        var third = await driver.ProposalJsonAsync(Driver.Region("region:c"));
        using var busy = await driver.PostAsync("/registry/proposals", third);
        var problem = await Driver.JsonAsync(busy);
        Assert.Equal((HttpStatusCode)429, busy.StatusCode);
        Assert.Equal("Busy", problem.GetProperty("code").GetString());
        Assert.Equal("limits.pending_max_per_token", problem.GetProperty("limit").GetProperty("key").GetString());
        Assert.Equal(2, problem.GetProperty("limit").GetProperty("value").GetInt64());
        Assert.Contains($"Token {DevCredentials.TokenId} holds 2 proposals", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(busy.Headers.RetryAfter);

        var other = CapabilityToken.Mint(DevCredentials.RootKeyId, DevCredentials.RootKey(), "other-holder", DevCredentials.AllScopes, 4_102_444_800);
        using var accepted = await driver.PostAsync("/registry/proposals", third, other);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Sighup_RaisesTheBound_AndTheRefusedProposalIsAcceptedWithoutARestart()
    {
        var dev = await DevConfigFile.WriteAsync("svcr-bound-hup-", "[limits]\npending_max = 1\n");
        await using var service = await RegistryProcess.StartAsync(dataDir: dev.Directory, args: dev.Args);
        var driver = new Driver(service);
        await driver.ProposeAsync(Driver.Region("region:a"));
        var second = await driver.ProposalJsonAsync(Driver.Region("region:b"));
        using (var busy = await driver.PostAsync("/registry/proposals", second))
        {
            Assert.Equal((HttpStatusCode)429, busy.StatusCode);
            Assert.Equal("limits.pending_max", (await Driver.JsonAsync(busy)).GetProperty("limit").GetProperty("key").GetString());
        }

        await File.WriteAllTextAsync(dev.Path, dev.Text.Replace("pending_max = 1\n", "pending_max = 5\n", StringComparison.Ordinal));
        service.Signal(1);
        await service.WaitForLineAsync(l => l.Contains("reload=1", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        using var accepted = await driver.PostAsync("/registry/proposals", second);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task ExpiredProposal_IsDroppedAfterItsRetention_AndItsViewSaysSo_AlsoAfterARestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-dropped-").FullName;
        string id;
        await using (var service = await RegistryProcess.StartAsync(dataDir, env: new Dictionary<string, string> { ["SVCR_LIMITS__PROPOSAL_RETENTION_SECONDS"] = "0" }))
        {
            var driver = new Driver(service);
            var head = await driver.HeadAsync();
            var expiresAt = Timestamp.From(DateTimeOffset.UtcNow.AddSeconds(3));
            var json = $$"""{"base_version":{{head.GetProperty("version").GetInt64()}},"base_hash":"{{head.GetProperty("hash").GetString()}}","changes":[{{Driver.Region("region:brief")}}],"expires_at":"{{expiresAt}}","note":"short-lived"}""";
            using var proposed = await driver.PostAsync("/registry/proposals", json);
            Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
            id = (await Driver.JsonAsync(proposed)).GetProperty("proposal_id").GetString()!;

            // The writer's sweep drops it once it has expired (retention 0) and logs that it did.
            await service.WaitForLineAsync(l => l.Contains("dropped 1 proposals", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await AssertDroppedAsync(driver, id);
            using var listed = await driver.Api.GetAsync("/registry/proposals");
            Assert.DoesNotContain(id, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The drop is in the log: a restart with the default retention still reports it, and an id never proposed is 404.
        await using var restarted = await RegistryProcess.StartAsync(dataDir);
        var again = new Driver(restarted);
        await AssertDroppedAsync(again, id);
        using var unknown = await again.Api.GetAsync($"/registry/proposals/{Digest.Compute("never proposed"u8)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task StreamSubscriber_ReadsEachVersionItIsToldAbout_ImmediatelyAndWithoutA404()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var head = await driver.HeadAsync();
        await using var stream = await SseReader.OpenAsync(service.Api);
        using var reads = new HttpClient { BaseAddress = service.Api.BaseAddress };

        const int Commits = 60;
        var statuses = new ConcurrentQueue<(long Version, HttpStatusCode Status)>();
        var reader = Task.Run(async () =>
        {
            for (var seen = 0; seen < Commits;)
            {
                var next = await stream.NextAsync(TimeSpan.FromSeconds(60));
                Assert.NotNull(next);
                if (next.Value.Type != "commit")
                {
                    continue;
                }

                using var snapshot = await reads.GetAsync($"/registry/{next.Value.Version}");
                statuses.Enqueue((next.Value.Version, snapshot.StatusCode));
                seen++;
            }
        });

        // Pre-signed submissions from several clients at once, all on one base with disjoint scopes: the writer batches
        // them, so a batch publishes several versions at once.
        var bodies = Enumerable.Range(0, Commits).Select(i => Submission(head, Driver.Region($"region:s{i:00}"))).ToArray();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, _) =>
        {
            using var response = await driver.PostAsync("/registry/commits", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });

        await reader.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(Commits, statuses.Count);
        Assert.All(statuses, s => Assert.True(s.Status == HttpStatusCode.OK, $"GET /registry/{s.Version} answered {s.Status} right after the stream announced it"));
        Assert.Equal(Enumerable.Range(1, Commits).Select(v => (long)v), statuses.Select(s => s.Version));
    }

    private static async Task AssertDroppedAsync(Driver driver, string id)
    {
        using var response = await driver.Api.GetAsync($"/registry/proposals/{id}");
        var view = await Driver.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dropped", view.GetProperty("status").GetString());
        Assert.Equal(id, view.GetProperty("proposal_id").GetString());
        Assert.Equal("expired", view.GetProperty("dropped").GetProperty("because").GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("dropped").GetProperty("at").ValueKind);
        Assert.False(view.TryGetProperty("proposal", out _));
    }

    private static string Submission(JsonElement head, string change) => DevSubmissions.Body(DevSubmissions.On(head, change, "stream order"), 1, 2);
}
