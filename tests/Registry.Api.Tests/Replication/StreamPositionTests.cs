using System.Globalization;
using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// A stream resumed past the node's HEAD is never answered with a silent skip: a primary answers 409 NotInHistory; a
/// replica that is only behind waits (bounded) until it has the position, then streams on, or answers 503 NotReady.
/// </summary>
public sealed class StreamPositionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Primary_ResumedPastHead_Answers409NotInHistory(bool header)
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await new Driver(primary).CommitChangesAsync(Driver.Region("region:p"));
        using var response = await OpenAsync(primary.Api, 5, header);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Driver.JsonAsync(response);
        Assert.Equal("NotInHistory", problem.GetProperty("code").GetString());
        Assert.Contains("Version 5 is not in this node's history", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("HEAD is version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // At HEAD exactly is in the history: live commits follow.
        using var atHead = await OpenAsync(primary.Api, 1, header);
        Assert.Equal(HttpStatusCode.OK, atHead.StatusCode);
    }

    [Fact]
    public async Task LaggingReplica_ResumedPastItsHead_WaitsUntilItHasThePosition_ThenStreamsWithoutASkip()
    {
        var chain = await ChainAsync(6);
        await using var fake = await FakeUpstream.StartAsync(chain.Take(3).ToList());
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, amnesia: true);
        await ReplicaNodes.WaitForVersionAsync(replica.Api, 3);

        // Asks for what follows version 5 while the replica holds 3: the answer waits for the replica.
        var pending = OpenAsync(replica.Api, 5, header: true);
        fake.Serve(chain);
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var items = System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        // Checkpoint frames (the replica signs its own in dev mode) carry no id and are not commits: skipped.
        do
        {
            Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(ReplicaNodes.Deadline));
        }
        while (items.Current.EventType == "checkpoint");

        Assert.Equal("commit", items.Current.EventType);
        Assert.Equal(6, JsonDocument.Parse(items.Current.Data).RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task LaggingReplica_ResumedPastItsHead_StillBehindAfterTheWait_Answers503NotReady()
    {
        var chain = await ChainAsync(2);
        await using var fake = await FakeUpstream.StartAsync(chain);
        await using var replica = await ReplicaNodes.StartAsync(fake.Url, amnesia: true, env: new Dictionary<string, string> { ["SVCR_REPLICA__RESUME_WAIT_SECONDS"] = "1" });
        await ReplicaNodes.WaitForVersionAsync(replica.Api, 2);

        using var response = await OpenAsync(replica.Api, 9, header: true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await Driver.JsonAsync(response);
        Assert.Equal("NotReady", problem.GetProperty("code").GetString());
        Assert.Contains("behind your position 9", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient api, long position, bool header)
    {
        var text = position.ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Get, header ? "/registry/stream" : "/registry/stream?from=" + text);
        if (header)
        {
            request.Headers.Add("Last-Event-ID", text);
        }

        return api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<List<byte[]>> ChainAsync(int commits)
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(primary);
        for (var i = 0; i < commits; i++)
        {
            await driver.CommitChangesAsync(Driver.Region($"region:s{i}"));
        }

        using var log = JsonDocument.Parse(await ReplicaNodes.BytesAsync(primary.Api, "/registry/log?from=1&limit=100"));
        return log.RootElement.EnumerateArray().Select(e => System.Text.Encoding.UTF8.GetBytes(e.GetRawText())).ToList();
    }
}
