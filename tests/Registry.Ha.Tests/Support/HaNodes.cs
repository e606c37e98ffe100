using System.Net;
using System.Text.Json;
using Registry.Testing;

namespace Registry.Ha.Tests.Support;

/// <summary>
/// Registry nodes on one etcd cluster, as real processes in dev mode (the same trust roots everywhere), each with its
/// own data directory, under a key prefix of their own so that tests sharing a cluster never see each other's log.
/// </summary>
internal sealed class HaNodes : IAsyncDisposable
{
    private readonly EtcdTestCluster _etcd;
    private readonly string _prefix = $"/svcr-test-{Guid.NewGuid():N}/";
    private readonly int _leaseTtlSeconds;
    private readonly RegistryProcess?[] _nodes;
    private readonly string[] _dataDirs;

    private readonly IReadOnlyDictionary<string, string> _extraEnv;

    private HaNodes(EtcdTestCluster etcd, int count, int leaseTtlSeconds, IReadOnlyDictionary<string, string>? extraEnv)
    {
        _extraEnv = extraEnv ?? new Dictionary<string, string>();
        _etcd = etcd;
        _leaseTtlSeconds = leaseTtlSeconds;
        _nodes = new RegistryProcess?[count];
        _dataDirs = [.. Enumerable.Range(0, count).Select(_ => Directory.CreateTempSubdirectory("svcr-ha-node-").FullName)];
    }

    /// <summary>The etcd key prefix of this group of nodes.</summary>
    public string Prefix => _prefix;

    /// <summary>How long a test waits for anything to happen before it fails.</summary>
    public static TimeSpan Deadline { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The lease TTL the nodes run with.</summary>
    public TimeSpan LeaseTtl => TimeSpan.FromSeconds(_leaseTtlSeconds);

    public int Count => _nodes.Length;

    /// <summary>Node <paramref name="index"/>, which must be running.</summary>
    public RegistryProcess this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");

    /// <summary>The running nodes.</summary>
    public IEnumerable<RegistryProcess> Running => _nodes.OfType<RegistryProcess>();

    /// <summary>Starts the first <paramref name="running"/> (default all) of <paramref name="count"/> nodes; the rest start later, empty.</summary>
    public static async Task<HaNodes> StartAsync(EtcdTestCluster etcd, int count = 3, int? running = null, int leaseTtlSeconds = 2, IReadOnlyDictionary<string, string>? extraEnv = null)
    {
        var nodes = new HaNodes(etcd, count, leaseTtlSeconds, extraEnv);
        for (var i = 0; i < (running ?? count); i++)
        {
            await nodes.StartAsync(i);
        }

        return nodes;
    }

    /// <summary>Starts (or restarts, on its data directory) node <paramref name="index"/>.</summary>
    public async Task StartAsync(int index)
    {
        var env = new Dictionary<string, string>(_extraEnv)
        {
            ["SVCR_ETCD__PREFIX"] = _prefix,
            ["SVCR_ETCD__LEASE_TTL_SECONDS"] = _leaseTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _nodes[index] = await RegistryProcess.StartAsync(_dataDirs[index], ["--data-dir", _dataDirs[index], "--etcd", _etcd.Endpoints], env);
    }

    /// <summary>The last lines each running node logged, for a failure's message.</summary>
    public string Logs(int lines = 25) =>
        string.Join("\n---\n", Running.Select(n => UrlOf(n) + ":\n" + string.Join('\n', n.Lines.TakeLast(lines).Select(l => l.Length > 400 ? l[..400] : l))));

    /// <summary>The data directory of node <paramref name="index"/> (running or not).</summary>
    public string DataDirOf(int index) => _dataDirs[index];

    /// <summary>SIGTERM of node <paramref name="index"/>, waiting for a clean exit.</summary>
    public async Task StopAsync(int index)
    {
        Assert.Equal(0, await this[index].StopAsync());
        await this[index].DisposeAsync();
        _nodes[index] = null;
    }

    /// <summary>SIGKILL of node <paramref name="index"/>.</summary>
    public async Task KillAsync(int index)
    {
        await this[index].KillAsync();
        await this[index].DisposeAsync();
        _nodes[index] = null;
    }

    public static string UrlOf(RegistryProcess node) => $"http://127.0.0.1:{node.ApiPort}";

    /// <summary>The node's <c>/readyz</c> document.</summary>
    public static async Task<JsonElement> ReadyAsync(RegistryProcess node)
    {
        using var response = await node.Admin.GetAsync("/readyz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The index of the node that reports itself the writer, polling until one does or the deadline passes.</summary>
    public async Task<int> WriterAsync(int? not = null)
    {
        var writer = -1;
        await UntilAsync(
            async () =>
            {
                for (var i = 0; i < _nodes.Length; i++)
                {
                    if (i != not && _nodes[i] is { } node && (await ReadyAsync(node)).GetProperty("ha").GetProperty("role").GetString() == "writer")
                    {
                        writer = i;
                        return true;
                    }
                }

                return false;
            },
            () => throw new TimeoutException("no node became the writer:\n" + string.Join("\n---\n", Running.Select(n => string.Join('\n', n.Lines.TakeLast(30))))));
        return writer;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 50 ms until it holds; at the deadline (<see cref="Deadline"/>) calls
    /// <paramref name="timedOut"/>, which throws what the caller reports.
    /// </summary>
    public static Task UntilAsync(Func<Task<bool>> condition, Action timedOut) =>
        Poll.UntilAsync(condition, Deadline, TimeSpan.FromMilliseconds(50), timedOut);

    /// <summary>HEAD's version on <paramref name="node"/>.</summary>
    public static async Task<long> HeadAsync(RegistryProcess node)
    {
        using var response = await node.Api.GetAsync("/registry/head");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>Polls until every running node's HEAD is at least <paramref name="version"/>.</summary>
    public async Task WaitForVersionAsync(long version)
    {
        foreach (var node in Running)
        {
            long head = 0;
            await UntilAsync(
                async () => (head = await HeadAsync(node)) >= version,
                () => Assert.Fail($"node {UrlOf(node)} stayed at version {head}, below {version}:\n" + string.Join('\n', node.Lines.TakeLast(30))));
        }
    }

    /// <summary>Every commit record the node serves, parsed, versions 1..<paramref name="head"/>.</summary>
    public static async Task<List<JsonElement>> LogAsync(RegistryProcess node, long head)
    {
        var records = new List<JsonElement>();
        for (long from = 1; from <= head; from += 1000)
        {
            using var response = await node.Api.GetAsync($"/registry/log?from={from}&limit=1000");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            records.AddRange(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(r => r.Clone()));
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Running)
        {
            // SIGCONT first: a test that stopped a node must not leave it stopped (SIGTERM would wait forever).
            node.Signal(18);
            await node.DisposeAsync();
        }
    }
}
