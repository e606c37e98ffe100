// HTTP to the followed node, as any client of the public read API would use it (docs/API.md):
//   GET /registry/head                 its HEAD (and X-Registry-Primary when it is a replica itself)
//   GET /registry/log?from=&limit=     full commit records, approvals included: what verification needs
//   GET /registry/checkpoints/latest  its newest checkpoint's state snapshot (replica.bootstrap = "checkpoint" only)
//   GET /registry/stream               Last-Event-ID resume; only each event's id and hash are used (the stream's
//                                      data has no approvals), as the signal to read the log and as a fork check.
// The reconnect loop is the follower's (ReplicaFollower); this type makes single requests.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>Requests to the followed node's API listener. Thread-safe.</summary>
internal sealed class UpstreamClient : IDisposable
{
    /// <summary>The most records asked for per log page (the log's own cap).</summary>
    public const int PageSize = 1000;

    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public UpstreamClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectWithKeepAliveAsync,
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("svc-registry-replica", "1"));
    }

    public async Task<UpstreamHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_requestTimeout);
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/registry/head"), HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        Uri? primary = null;
        if (response.Headers.TryGetValues(ReplicaRouting.PrimaryHeader, out var values)
            && Uri.TryCreate(values.FirstOrDefault(), UriKind.Absolute, out var named))
        {
            primary = named;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return new UpstreamHead(root.GetProperty("version").GetInt64(), Digest.Parse(root.GetProperty("hash").GetString()!), primary);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UpstreamException($"GET /registry/head: not a HEAD document: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The followed node's newest checkpoint: its version and state snapshot bytes, or null when it has none (404).
    /// </summary>
    public async Task<(long Version, byte[] Snapshot)?> GetCheckpointAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/checkpoints/latest");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException("GET /registry/checkpoints/latest: no answer within 120 s", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new UpstreamException($"GET /registry/checkpoints/latest: HTTP {(int)response.StatusCode}");
            }

            if (!response.Headers.TryGetValues(Endpoints.CheckpointEndpoints.VersionHeader, out var values)
                || !long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new UpstreamException($"GET /registry/checkpoints/latest: no {Endpoints.CheckpointEndpoints.VersionHeader} header");
            }

            return (version, await response.Content.ReadAsByteArrayAsync(timeout.Token));
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> records from <paramref name="from"/>. A record that is not a commit record in
    /// canonical form is a verification failure (the bytes are what the followed node serves as its chain).
    /// </summary>
    public async Task<IReadOnlyList<UpstreamRecord>> GetLogAsync(long from, int limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_requestTimeout);
        var path = string.Create(CultureInfo.InvariantCulture, $"/registry/log?from={from}&limit={limit}");
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new UpstreamException($"GET {path}: not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new UpstreamException($"GET {path}: not an array of commit records.");
            }

            var records = new List<UpstreamRecord>(document.RootElement.GetArrayLength());
            var expected = from;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var raw = System.Text.Encoding.UTF8.GetBytes(element.GetRawText());
                CommitRecord record;
                try
                {
                    record = CommitRecord.FromCanonicalBytes(raw);
                }
                catch (FormatException ex)
                {
                    throw new ReplicaHaltException(false, expected, $"version {expected}: the followed node's record is not a canonical commit record: {ex.Message}", raw);
                }

                records.Add(new UpstreamRecord(record, raw));
                expected = record.Version + 1;
            }

            return records;
        }
    }

    /// <summary>
    /// Opens <c>GET /registry/stream</c> after <paramref name="lastEventId"/> and yields each commit's (version, hash)
    /// until the stream ends (then <see cref="UpstreamException"/>: the follower reconnects).
    /// </summary>
    public async IAsyncEnumerable<(long Version, Digest Hash)> StreamAsync(long lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            switch (item.EventType)
            {
                case "commit":
                    yield return ParseCommit(item.Data);
                    break;
                case "lagged":
                    throw new UpstreamException("the followed node dropped this replica's stream (lagged); resuming");
                default:
                    break;
            }
        }

        throw new UpstreamException("the followed node closed the stream");
    }

    public void Dispose() => _http.Dispose();

    // TCP keepalive on every connection: the stream can be silent for long stretches (heartbeats every 15 s by
    // default), and a followed node that vanished without a reset (power loss, a partition) must still be noticed,
    // within about 30 s, so the replica reconnects and reports itself out of sync instead of waiting forever.
    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connected = false;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 15);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            connected = true;
            return new NetworkStream(socket, ownsSocket: true);
        }
        finally
        {
            if (!connected)
            {
                socket.Dispose();
            }
        }
    }

    private static (long Version, Digest Hash) ParseCommit(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            return (root.GetProperty("version").GetInt64(), Digest.Parse(root.GetProperty("hash").GetString()!));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UpstreamException($"a stream event is not a commit event: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken token, CancellationToken caller)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, token);
            }
            catch (OperationCanceledException ex) when (!caller.IsCancellationRequested)
            {
                throw new UpstreamException($"{request.Method} {request.RequestUri}: no answer within {s_requestTimeout.TotalSeconds:0} s", ex);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(caller);
                response.Dispose();
                throw new UpstreamException($"{request.Method} {request.RequestUri}: HTTP {status}: {(text.Length > 300 ? text[..300] : text)}");
            }

            return response;
        }
    }
}
