using System.Net;
using System.Text;
using Registry.Client.Models;
using Registry.Client.Tests.Support;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>
/// WatchAsync yields every version once, in order, linked by prev_hash, across dropped connections, commits made
/// while disconnected, gaps in the stream and server restarts; and refuses to paper over a chain that changed.
/// </summary>
public sealed class WatchTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private static readonly WatchOptions s_fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task WatchAsync_FromGenesis_YieldsHistoryThenLiveCommitsInOrder()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var client = ClientFor(service.ApiPort);
        await Dev.CommitAsync(client, Dev.Region("region:w1"));
        await Dev.CommitAsync(client, Dev.Region("region:w2"));

        await using var watch = new Watch(client.WatchAsync(0, s_fast));
        Assert.Equal([1L, 2L], await watch.TakeAsync(2));
        await Dev.CommitAsync(client, Dev.Region("region:w3"));
        await Dev.CommitAsync(client, Dev.Region("region:w4"));
        Assert.Equal([3L, 4L], await watch.TakeAsync(2));
        watch.AssertLinked(Dev.Genesis().Hash);
    }

    [Fact]
    public async Task WatchAsync_ConnectionCutWhileCommitsHappen_YieldsEveryVersionOnceInOrder()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var direct = ClientFor(service.ApiPort);
        await using var proxy = new LoopbackProxy(service.ApiPort);
        var reconnects = 0;
        var options = new WatchOptions { InitialBackoff = s_fast.InitialBackoff, MaxBackoff = s_fast.MaxBackoff, OnReconnect = (_, _) => Interlocked.Increment(ref reconnects) };

        await using var watch = new Watch(ClientFor(proxy.Port).WatchAsync(0, options));
        await Dev.CommitAsync(direct, Dev.Region("region:c1"));
        Assert.Equal([1L], await watch.TakeAsync(1));

        for (var round = 0; round < 3; round++)
        {
            proxy.Cut();
            await Dev.CommitAsync(direct, Dev.Region($"region:cut{round}a"));
            await Dev.CommitAsync(direct, Dev.Region($"region:cut{round}b"));
            proxy.Resume();
            await Dev.CommitAsync(direct, Dev.Region($"region:cut{round}c"));
            var first = 2 + (3 * round);
            Assert.Equal([first, first + 1, first + 2], await watch.TakeAsync(3));
        }

        watch.AssertLinked(Dev.Genesis().Hash);
        Assert.True(reconnects >= 3, $"reconnected {reconnects} times");
        Assert.True(proxy.Connections > 3);
    }

    [Fact]
    public async Task WatchAsync_ServerRestartedWhileCommitsHappen_YieldsEveryVersionOnceInOrder()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-watch-").FullName;
        try
        {
            await RestartScenarioAsync(dataDir);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task RestartScenarioAsync(string dataDir)
    {
        var first = await RegistryProcess.StartAsync(dataDir);
        await using var proxy = new LoopbackProxy(first.ApiPort);
        await using var watch = new Watch(ClientFor(proxy.Port).WatchAsync(0, s_fast));
        await Dev.CommitAsync(ClientFor(first.ApiPort), Dev.Region("region:r1"));
        await Dev.CommitAsync(ClientFor(first.ApiPort), Dev.Region("region:r2"));
        Assert.Equal([1L, 2L], await watch.TakeAsync(2));

        // The client loses its connection; the service restarts (same data, new ports); commits land while the
        // client is still cut off; then it can reach the service again.
        proxy.Cut();
        Assert.Equal(0, await first.StopAsync());
        await first.DisposeAsync();
        await using var second = await RegistryProcess.StartAsync(dataDir);
        proxy.Retarget(second.ApiPort);
        await Dev.CommitAsync(ClientFor(second.ApiPort), Dev.Region("region:r3"));
        await Dev.CommitAsync(ClientFor(second.ApiPort), Dev.Region("region:r4"));
        proxy.Resume();
        await Dev.CommitAsync(ClientFor(second.ApiPort), Dev.Region("region:r5"));

        Assert.Equal([3L, 4L, 5L], await watch.TakeAsync(3));
        watch.AssertLinked(Dev.Genesis().Hash);
    }

    [Fact]
    public async Task WatchAsync_StreamSkipsVersions_FillsTheGapFromTheLog()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var direct = ClientFor(service.ApiPort);
        for (var i = 1; i <= 5; i++)
        {
            await Dev.CommitAsync(direct, Dev.Region($"region:gap{i}"));
        }

        // The stream answers with versions 1, 4 and 5 only; /registry/head says 0 at first so the log is not read up front.
        using var handler = new GappyStreamHandler([2, 3]) { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(handler);
        var client = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}") });

        await using var watch = new Watch(client.WatchAsync(0, s_fast));

        Assert.Equal([1L, 2L, 3L, 4L, 5L], await watch.TakeAsync(5));
        watch.AssertLinked(Dev.Genesis().Hash);
    }

    [Fact]
    public async Task WatchAsync_AmnesiaServerReplacedByAFreshOne_ThrowsDiverged()
    {
        var first = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var proxy = new LoopbackProxy(first.ApiPort);
        await using var watch = new Watch(ClientFor(proxy.Port).WatchAsync(0, s_fast));
        await Dev.CommitAsync(ClientFor(first.ApiPort), Dev.Region("region:lost"));
        Assert.Equal([1L], await watch.TakeAsync(1));

        await first.DisposeAsync();
        await using var second = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        proxy.Retarget(second.ApiPort);
        proxy.Cut();
        proxy.Resume();

        var error = await Assert.ThrowsAsync<RegistryClientException>(() => watch.TakeAsync(1));
        Assert.Equal(RegistryClientErrorCodes.Diverged, error.Code);
    }

    [Fact]
    public async Task WatchAsync_SilentStreamThenLaggedStream_ReconnectsAndMissesNothing()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var direct = ClientFor(service.ApiPort);
        await Dev.CommitAsync(direct, Dev.Region("region:s1"));

        // First stream: headers, then silence (a half-open connection). Second: "event: lagged". Then real ones.
        using var handler = new FlakyStreamHandler { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(handler);
        var client = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}") });
        var reasons = new List<string>();
        var options = new WatchOptions
        {
            InitialBackoff = s_fast.InitialBackoff,
            MaxBackoff = s_fast.MaxBackoff,
            IdleTimeout = TimeSpan.FromMilliseconds(300),
            OnReconnect = (_, reason) => { lock (reasons) { reasons.Add(reason.Message); } },
        };

        await using var watch = new Watch(client.WatchAsync(0, options));
        Assert.Equal([1L], await watch.TakeAsync(1));
        await handler.Third.Task.WaitAsync(s_deadline);
        await Dev.CommitAsync(direct, Dev.Region("region:s2"));
        await Dev.CommitAsync(direct, Dev.Region("region:s3"));
        Assert.Equal([2L, 3L], await watch.TakeAsync(2));
        watch.AssertLinked(Dev.Genesis().Hash);
        lock (reasons)
        {
            Assert.True(reasons.Any(r => r.Contains("delivered nothing", StringComparison.Ordinal)), string.Join(" | ", reasons) + " streams=" + handler.Streams);
            Assert.True(reasons.Any(r => r.Contains("fell behind", StringComparison.Ordinal)), string.Join(" | ", reasons) + " streams=" + handler.Streams);
        }
    }

    private static RegistryClient ClientFor(int port) =>
        new(new HttpClient(), new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Token = Dev.Token });

    /// <summary>Consumes a watch with deadlines, remembering everything it yielded.</summary>
    private sealed class Watch(IAsyncEnumerable<CommitEvent> source) : IAsyncDisposable
    {
        private readonly IAsyncEnumerator<CommitEvent> _items = source.GetAsyncEnumerator();

        public List<CommitEvent> Seen { get; } = [];

        public async Task<List<long>> TakeAsync(int count)
        {
            var versions = new List<long>();
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _items.MoveNextAsync().AsTask().WaitAsync(s_deadline), "the watch ended");
                Seen.Add(_items.Current);
                versions.Add(_items.Current.Version);
            }

            return versions;
        }

        public void AssertLinked(Digest genesis)
        {
            var previous = genesis;
            for (var i = 0; i < Seen.Count; i++)
            {
                Assert.Equal(i + 1, Seen[i].Version);
                Assert.Equal(previous, Seen[i].PrevHash);
                previous = Seen[i].Hash;
            }
        }

        public ValueTask DisposeAsync() => _items.DisposeAsync();
    }

    /// <summary>The first /registry/stream never sends a byte; the second says "event: lagged" at once; the rest are real.</summary>
    private sealed class FlakyStreamHandler : DelegatingHandler
    {
        private int _streams;

        public int Streams => _streams;

        /// <summary>Completes when the third stream (the first real one) is requested.</summary>
        public TaskCompletionSource Third { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != "/registry/stream")
            {
                return await base.SendAsync(request, cancellationToken);
            }

            switch (Interlocked.Increment(ref _streams))
            {
                case 1:
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream()) };
                case 2:
                    var from = request.Headers.GetValues("Last-Event-ID").Single();
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("event: lagged\ndata: {\"last_event_id\":" + from + "}\n\n", Encoding.UTF8, "text/event-stream") };
                default:
                    Third.TrySetResult();
                    return await base.SendAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>A stream whose reads never complete until cancelled.</summary>
    private sealed class SilentStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Never completes on its own: only the reader's cancellation ends the read.
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Drops chosen versions from /registry/stream and reports HEAD as version 0, to force a gap the client must notice.</summary>
    private sealed class GappyStreamHandler(long[] drop) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var response = await base.SendAsync(request, cancellationToken);
            if (path == "/registry/head" && response.StatusCode == HttpStatusCode.OK)
            {
                // Claim HEAD is still genesis so everything must come through the stream.
                var genesis = await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri, "/registry/0")), cancellationToken);
                using var snapshot = System.Text.Json.JsonDocument.Parse(await genesis.Content.ReadAsStringAsync(cancellationToken));
                var hash = snapshot.RootElement.GetProperty("hash").GetString();
                var zero = "sha256:" + new string('0', 64);
                response.Content = new StringContent(
                    $$"""{"committed_at":null,"descriptor_count":0,"hash":"{{hash}}","prev_hash":"{{zero}}","registry":"ron-dev","signer_set_version":1,"state_root":"{{zero}}","version":0}""",
                    Encoding.UTF8,
                    "application/json");
                return response;
            }

            if (path != "/registry/stream" || response.StatusCode != HttpStatusCode.OK)
            {
                return response;
            }

            // Read the replayed history (5 frames), drop some, and end the stream there.
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var kept = new StringBuilder();
            var frame = new StringBuilder();
            var frames = 0;
            while (frames < 5 && await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0)
                {
                    frame.Append(line).Append('\n');
                    continue;
                }

                if (frame.ToString().StartsWith("event: commit", StringComparison.Ordinal))
                {
                    frames++;
                    var id = long.Parse(frame.ToString().Split('\n')[1]["id: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    if (!drop.Contains(id))
                    {
                        kept.Append(frame).Append('\n');
                    }
                }

                frame.Clear();
            }

            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(kept.ToString(), Encoding.UTF8, "text/event-stream") };
        }
    }
}
