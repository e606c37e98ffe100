namespace Registry.LoadTest.Systems;

/// <summary>
/// A single-member etcd on loopback with its own data directory and the default durability: every write is
/// fsynced to the WAL before it is acknowledged (etcd 3.4 has no switch to turn that off). Ready when
/// <c>GET /health</c> says <c>{"health":"true"}</c>.
/// </summary>
public sealed class EtcdServer : IServer
{
    private readonly ManagedProcess _process;

    private EtcdServer(ManagedProcess process, Uri baseAddress, double readyMs)
    {
        _process = process;
        BaseAddress = baseAddress;
        StartToReadyMs = readyMs;
    }

    /// <inheritdoc />
    public string Name => "etcd";

    /// <inheritdoc />
    public int Pid => _process.Pid;

    /// <inheritdoc />
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public double StartToReadyMs { get; }

    /// <summary>
    /// Starts etcd on <paramref name="dataDir"/> (new or existing) and waits until it is healthy. A restored data
    /// directory must be started with the peer port it was restored for.
    /// </summary>
    public static async Task<EtcdServer> StartAsync(string dataDir, string? cpus, string logFile, int? peerPort = null)
    {
        var client = FreePort.Next();
        var peer = peerPort ?? FreePort.Next();
        var clientUrl = $"http://127.0.0.1:{client}";
        var peerUrl = $"http://127.0.0.1:{peer}";
        string[] args =
        [
            "--name", "perf",
            "--data-dir", dataDir,
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"perf={peerUrl}",
            "--logger", "zap",
        ];
        var process = ManagedProcess.Start("etcd", args, cpus, logFile);
        try
        {
            var ready = await ReadinessProbe.WaitAsync(
                new Uri($"{clientUrl}/health"),
                process.StartedAt,
                TimeSpan.FromSeconds(60),
                body => body.Contains("\"health\":\"true\"", StringComparison.Ordinal),
                () => process.HasExited,
                $"etcd (log: {logFile})");
            return new EtcdServer(process, new Uri(clientUrl), ready);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(15));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
