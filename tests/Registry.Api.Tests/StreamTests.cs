using System.Net;
using Registry.Core.Transparency;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>SSE (SPEC §4): resume without gap or duplicate, heartbeats, lag detection.</summary>
public sealed class StreamTests
{
    [Fact]
    public async Task Subscribers_DropAndResumeAtRandomPoints_EachSeesEveryVersionOnceInOrder()
    {
        const int Commits = 200;
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:r"));

        var writer = Task.Run(async () =>
        {
            for (var i = 1; i < Commits; i++)
            {
                await driver.CommitChangesAsync(Driver.Node($"node:{i}", "region:r", $"10.0.{i / 250}.{i % 250}:80"));
            }
        });

        var subscribers = Enumerable.Range(0, 4).Select(seed => Task.Run(() => FollowWithDropsAsync(service.Api, seed, Commits))).ToArray();
        await writer;
        var seen = await Task.WhenAll(subscribers);
        foreach (var versions in seen)
        {
            Assert.Equal(Enumerable.Range(1, Commits).Select(v => (long)v), versions);
        }
    }

    [Fact]
    public async Task ResumeFromQuery_AfterCommits_ReplaysHistoryThenLive()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:r"));
        await driver.CommitChangesAsync(Driver.Node("node:1", "region:r"));
        await using var stream = await SseReader.OpenAsync(service.Api, query: "?from=0");
        Assert.Equal(1, (await stream.NextAsync(TimeSpan.FromSeconds(10)))!.Value.Version);
        Assert.Equal(2, (await stream.NextAsync(TimeSpan.FromSeconds(10)))!.Value.Version);
        await driver.CommitChangesAsync(Driver.Node("node:2", "region:r"));
        Assert.Equal(3, (await stream.NextAsync(TimeSpan.FromSeconds(10)))!.Value.Version);
    }

    [Fact]
    public async Task ResumeAfterRestart_HistoryReframedFromTheLog_EveryVersionInOrder()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-stream-").FullName;
        await using (var first = await RegistryProcess.StartAsync(dataDir))
        {
            var driver = new Driver(first);
            await driver.CommitChangesAsync(Driver.Region("region:r"));
            for (var i = 0; i < 5; i++)
            {
                await driver.CommitChangesAsync(Driver.Node($"node:{i}", "region:r", $"10.0.0.{i + 1}:80"));
            }
        }

        await using var second = await RegistryProcess.StartAsync(dataDir);
        await using var stream = await SseReader.OpenAsync(second.Api, lastEventId: 2);
        string? lastHash = null;
        for (long v = 3; v <= 6; v++)
        {
            var next = await stream.NextAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(v, next!.Value.Version);
            lastHash = next.Value.Data.GetProperty("hash").GetString();
        }

        Assert.Equal((await new Driver(second).HeadAsync()).GetProperty("hash").GetString(), lastHash);
    }

    [Fact]
    public async Task IdleStream_SendsHeartbeatComment()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_STREAM__HEARTBEAT_SECONDS"] = "1" });
        using var response = await service.Api.GetAsync("/registry/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The newest checkpoint frame (the dev-mode log key signs one) may come first; then, idle, the heartbeat.
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        while (line is "" or "event: checkpoint" || line?.StartsWith("data: ", StringComparison.Ordinal) == true);

        Assert.Equal(": heartbeat", line);
    }

    [Fact]
    public async Task SlowSubscriber_BufferOverflows_GetsLaggedAndCommitsContinue()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_STREAM__CLIENT_BUFFER"] = "1" });
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:r"));
        using var response = await service.Api.GetAsync("/registry/stream", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();

        // Never read while committing ~18 MB of frames: the kernel's socket buffers fill, the server's
        // write blocks, and the one-frame buffer overflows.
        var blob = new string('x', 15_000);
        for (var i = 0; i < 20; i++)
        {
            var changes = Enumerable.Range(0, 60).Select(j =>
                "{\"op\":\"put\",\"descriptor\":{\"kind\":\"service\",\"id\":\"svc:" + i + "-" + j + "\",\"attrs\":{\"blob\":\"" + blob + "\",\"endpoints\":[\"http://s.example:80/\"]}}}");
            await driver.CommitChangesAsync([.. changes]);
        }

        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("event: lagged", text, StringComparison.Ordinal);
        Assert.Equal(21, (await driver.HeadAsync()).GetProperty("version").GetInt64());
        using var metrics = await service.Admin.GetAsync("/metrics");
        Assert.Contains("bus_lagged_total{consumer=\"sse\"} 1", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointFrames_FollowEachCommitWithoutAnId_AndLeaveResumptionByVersionUnchanged()
    {
        var (env, vkey) = TransparencyLogTests.LogKeyEnvironment();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var driver = new Driver(service);
        await using var stream = await SseReader.OpenAsync(service.Api, lastEventId: 0);
        await driver.CommitChangesAsync(Driver.Region("region:r"));
        await driver.CommitChangesAsync(Driver.Node("node:1", "region:r"));

        // Every checkpoint frame's head is a commit already sent; its note verifies by the log key; it sets no id.
        long lastCommit = 0;
        var checkpointed = 0L;
        while (checkpointed < 3)
        {
            var next = (await stream.NextAsync(TimeSpan.FromSeconds(30), checkpoints: true))!.Value;
            // The parser's Last-Event-ID: the last commit's id, untouched by checkpoint frames ("" before any commit).
            string LastId() => lastCommit == 0 ? string.Empty : lastCommit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (next.Type == "commit")
            {
                lastCommit = next.Version;
                Assert.Equal(LastId(), stream.LastEventId);
                continue;
            }

            Assert.Equal("checkpoint", next.Type);
            var size = next.Data.GetProperty("size").GetInt64();
            Assert.InRange(size, checkpointed, lastCommit + 1);
            Assert.True(SignedNote.TryParse(System.Text.Encoding.UTF8.GetBytes(next.Data.GetProperty("note").GetString()!), out var note));
            Assert.True(note.VerifiedBy(vkey));
            Assert.True(Checkpoint.TryParse(note.Text, out var checkpoint));
            Assert.Equal((size, checkpoint.Root.ToString()), (checkpoint.Size, next.Data.GetProperty("root").GetString()));
            Assert.Equal(LastId(), stream.LastEventId);
            checkpointed = size;
        }

        // Resuming from the last commit's id replays nothing before it: the next commit is the next version.
        await using var resumed = await SseReader.OpenAsync(service.Api, lastEventId: 2);
        await driver.CommitChangesAsync(Driver.Node("node:2", "region:r"));
        var first = (await resumed.NextAsync(TimeSpan.FromSeconds(30)))!.Value;
        Assert.Equal(("commit", 3L), (first.Type, first.Version));
    }

    [Fact]
    public async Task BadLastEventId_Answers400()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
        request.Headers.Add("Last-Event-ID", "abc");
        using var response = await service.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<List<long>> FollowWithDropsAsync(HttpClient client, int seed, int until)
    {
        var random = new Random(seed);
        var versions = new List<long>();
        long? last = random.Next(2) == 0 ? 0 : null;
        while (versions.Count == 0 || versions[^1] < until)
        {
            await using var stream = await SseReader.OpenAsync(client, last ?? 0);
            var take = random.Next(1, 40);
            for (var i = 0; i < take && (versions.Count == 0 || versions[^1] < until); i++)
            {
                var next = await stream.NextAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(next);
                Assert.Equal("commit", next.Value.Type);
                versions.Add(next.Value.Version);
                last = next.Value.Version;
            }
        }

        return versions;
    }
}
