using System.Globalization;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Workloads 1 and 2, driven by wrk on both sides: the registry's <c>GET /registry/head</c> against an etcd
/// serializable range of key <c>head</c> (same document bytes), and <c>GET /registry/{v}</c> against an etcd
/// serializable range of <c>desc/</c> at the matching revision (the same descriptors).
/// </summary>
public sealed class ReadWorkloads(RunContext context, IServer registry, IServer etcd, SmallDataSet data)
{
    /// <summary>Head read at 1 and N connections.</summary>
    public async Task HeadReadAsync()
    {
        var body = BodyFile("head-range.json", $$"""{"key":"{{EtcdClient.B64(SmallDataSet.HeadKey)}}","serializable":true}""");
        foreach (var connections in new[] { 1, context.Settings.ManyClients })
        {
            Console.WriteLine($"workload 1: head read, {connections} connection(s)");
            context.Add(new WorkloadResult
            {
                Id = $"head-read-{connections}",
                Group = "1. Head read",
                Variant = $"{connections} connection{(connections == 1 ? string.Empty : "s")}",
                Kind = WorkloadKind.Rate,
                Description = $"svc-registry GET /registry/head; etcd POST /v3/kv/range key \"head\" serializable. Both return the same {data.HeadBytes}-byte head document.",
                Registry = await WrkAsync(registry, "GET", "/registry/head", null, connections),
                Etcd = await WrkAsync(etcd, "POST", "/v3/kv/range", body, connections),
            });
        }
    }

    /// <summary>Historical read at N connections.</summary>
    public async Task HistoricalReadAsync()
    {
        var prefix = Encoding.UTF8.GetBytes(Payload.KeyPrefix);
        var revision = data.HistoricalRevision.ToString(CultureInfo.InvariantCulture);
        var body = BodyFile("history-range.json", $$"""{"key":"{{EtcdClient.B64(prefix)}}","range_end":"{{EtcdClient.B64(EtcdClient.PrefixEnd(prefix))}}","revision":"{{revision}}","serializable":true}""");
        var connections = context.Settings.ManyClients;
        Console.WriteLine($"workload 2: historical read, {connections} connections");
        context.Add(new WorkloadResult
        {
            Id = $"historical-read-{connections}",
            Group = "2. Historical read",
            Variant = $"{connections} connections",
            Kind = WorkloadKind.Rate,
            Description = $"svc-registry GET /registry/{data.HistoricalVersion} (one version behind HEAD); etcd POST /v3/kv/range prefix desc/ at revision {revision}, serializable. Both return the same {data.Descriptors} descriptors of {Payload.DescriptorBytes} bytes (etcd base64-encodes them in JSON).",
            Registry = await WrkAsync(registry, "GET", $"/registry/{data.HistoricalVersion}", null, connections),
            Etcd = await WrkAsync(etcd, "POST", "/v3/kv/range", body, connections),
        });
    }

    /// <summary>A read workload's measurement: wrk at <paramref name="connections"/>, warmed up for <see cref="HarnessSettings.ReadWarmUp"/>, then the repetitions.</summary>
    public static Task<SystemMeasurement> WrkAsync(RunContext context, IServer server, string method, string path, string? bodyFile, int connections)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        return Bench.MeasureAsync(
            server,
            context.Settings.Repetitions,
            _ => context.Wrk.RunAsync(server.BaseAddress, method, path, bodyFile, connections, context.Settings.ReadDuration),
            () => context.Wrk.RunAsync(server.BaseAddress, method, path, bodyFile, connections, context.Settings.ReadWarmUp));
    }

    private Task<SystemMeasurement> WrkAsync(IServer server, string method, string path, string? bodyFile, int connections) =>
        WrkAsync(context, server, method, path, bodyFile, connections);

    private string BodyFile(string name, string json)
    {
        var path = Path.Combine(context.WorkDirectory, name);
        File.WriteAllText(path, json);
        return path;
    }
}
