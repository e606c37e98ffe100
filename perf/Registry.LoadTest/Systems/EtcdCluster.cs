using System.Globalization;

namespace Registry.LoadTest.Systems;

/// <summary>
/// The 3-member etcd cluster on loopback of <c>ops/etcd-cluster.sh</c> (the one the HA tests and the runbook use),
/// its members pinned to the server CPUs. As a system under test it is member 1: the etcd column's requests go to
/// its HTTP gateway and its CPU and memory are the ones sampled (the other two members work too; their CPU shows in
/// the "other" column).
/// </summary>
public sealed class EtcdCluster : IServer
{
    private readonly string _script;
    private readonly string _dir;

    private EtcdCluster(string script, string dir, string endpoints, int pid, double readyMs)
    {
        _script = script;
        _dir = dir;
        Endpoints = endpoints;
        BaseAddress = new Uri(endpoints.Split(',')[0]);
        Pid = pid;
        StartToReadyMs = readyMs;
    }

    /// <inheritdoc />
    public string Name => "etcd";

    /// <inheritdoc />
    public int Pid { get; }

    /// <inheritdoc />
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public double StartToReadyMs { get; }

    /// <summary>The three client URLs, comma-separated (what <c>--etcd</c> takes).</summary>
    public string Endpoints { get; }

    /// <summary>Starts a fresh cluster under <paramref name="dir"/>; returns once all 3 members are healthy.</summary>
    public static async Task<EtcdCluster> StartAsync(string repoRoot, string dir, string? cpus)
    {
        var script = Path.Combine(repoRoot, "ops", "etcd-cluster.sh");
        var started = System.Diagnostics.Stopwatch.StartNew();
        _ = cpus is null ? await Tool.RunAsync(script, "start", dir) : await Tool.RunAsync("taskset", "-c", cpus, script, "start", dir);
        var endpoints = File.ReadAllText(Path.Combine(dir, "endpoints")).Trim();
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, "m1.pid")).Trim(), CultureInfo.InvariantCulture);
        return new EtcdCluster(script, dir, endpoints, pid, started.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public async Task StopAsync() => await Tool.RunAsync(_script, "stop", _dir);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
