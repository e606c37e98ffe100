using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Registry.Core.Json;

namespace Registry.Api.Bus;

/// <summary>
/// Serves the bus on a Unix socket (<c>RON_BUS_SOCK</c>) as newline-delimited JSON, one line per event:
/// <c>{"at","corr_id","hash","topic","type","version"}</c> (absent members omitted). Each connection is a
/// bus subscriber named <c>uds</c>; a client that falls behind gets a
/// <c>{"topic":"bus","type":"bus.lagged","detail":"N dropped"}</c> line and should reconcile.
/// </summary>
public sealed partial class BusSocketServer : IAsyncDisposable
{
    private readonly string _path;
    private readonly RegistryBus _bus;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _accept;

    /// <summary>Creates the server (not started).</summary>
    public BusSocketServer(string path, RegistryBus bus, ILogger logger)
    {
        _path = path;
        _bus = bus;
        _logger = logger;
    }

    /// <summary>Binds the socket (replacing a stale socket file) and starts accepting.</summary>
    public void Start()
    {
        if (File.Exists(_path))
        {
            File.Delete(_path);
        }

        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(64);
        _accept = Task.Run(AcceptLoopAsync);
        LogListening(_logger, _path);
    }

    /// <summary>Encodes one event as its NDJSON line (with the trailing newline).</summary>
    public static byte[] Encode(BusEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("at", @event.At);
        if (@event.CorrId is { } corr)
        {
            writer.WriteString("corr_id", corr);
        }

        if (@event.Detail is { } detail)
        {
            writer.WriteString("detail", detail);
        }

        if (@event.Hash is { } hash)
        {
            writer.WriteString("hash", hash);
        }

        writer.WriteString("topic", @event.Topic);
        writer.WriteString("type", @event.Type);
        if (@event.Version is { } version)
        {
            writer.WriteInteger("version", version);
        }

        writer.WriteEndObject();
        return [.. writer.WrittenSpan, (byte)'\n'];
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var subscription = _bus.Subscribe("uds", 4096);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            await foreach (var @event in subscription.Reader.ReadAllAsync(_stop.Token))
            {
                if (subscription.TakeDropped() is > 0 and var dropped)
                {
                    await stream.WriteAsync(Encode(new BusEvent("bus", "bus.lagged", @event.At, Detail: $"{dropped} dropped")), _stop.Token);
                }

                await stream.WriteAsync(Encode(@event), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the service is stopping: the subscription is disposed below.
            LogClientGone(_logger, ex.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        if (_accept is not null)
        {
            await _accept;
        }

        if (File.Exists(_path))
        {
            File.Delete(_path);
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "bus: serving NDJSON on {Path}")]
    private static partial void LogListening(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "bus: client disconnected ({Reason})")]
    private static partial void LogClientGone(ILogger logger, string reason);
}
