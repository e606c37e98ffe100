using System.Globalization;
using System.Security.Cryptography;
using Registry.Core.Transparency;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Issue 16's measurements: pre-signed submissions at N clients on a fresh server that signs no checkpoints, and on
/// one that signs a checkpoint after every batch and asks two witnesses (svc-registry witness nodes on loopback, on the
/// load CPU) to cosign each one; then proof-bundle reads (<c>GET /registry/descriptors/{id}?proof=full</c>) at N connections with
/// wrk against the witnessed server. The SDK's verification of one bundle is the BenchmarkDotNet benchmark
/// <c>ProofBundleVerifyBenchmarks</c> (perf/Registry.Benchmarks).
/// </summary>
public sealed class TransparencyWorkloads(RunContext context)
{
    private const string Group = "3e. Transparency log: pre-signed submission at N clients, checkpoints signed and cosigned by two witnesses vs none";

    /// <summary>Both commit rows, then the proof-bundle read row.</summary>
    public async Task RunAsync()
    {
        await CommitRowAsync(witnessed: false);
        await CommitRowAsync(witnessed: true);
    }

    private async Task CommitRowAsync(bool witnessed)
    {
        var s = context.Settings;
        var name = witnessed ? "registry-tlog-witnessed" : "registry-tlog-plain";
        var keyDir = context.NewDirectory(name + "-keys");
        var overrides = new Dictionary<string, string>();
        var witnesses = new List<RegistryServer>();
        try
        {
            if (witnessed)
            {
                var logSeed = RandomNumberGenerator.GetBytes(32);
                var logKeyFile = Path.Combine(keyDir, "tlog.key");
                await File.WriteAllTextAsync(logKeyFile, NoteSigner.FormatPrivateKey(TrustMaterial.RegistryId, logSeed) + "\n");
                using var log = NoteSigner.FromSeed(TrustMaterial.RegistryId, logSeed);
                var entries = new List<string>();
                for (var w = 1; w <= 2; w++)
                {
                    var seed = RandomNumberGenerator.GetBytes(32);
                    var file = Path.Combine(keyDir, $"witness-{w}.key");
                    await File.WriteAllTextAsync(file, NoteSigner.FormatPrivateKey($"perf.witness/w{w}", seed) + "\n");
                    using var signer = NoteSigner.FromSeed($"perf.witness/w{w}", seed);
                    // A witness is another party's machine: on the load CPU, so that the row measures what witnessing
                    // costs the registry (signing, the rounds' proofs and calls), not the witnesses' own checks and
                    // fsyncs taking the registry's one core (perf/README.md, workload 3e).
                    var witness = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, context.NewDirectory($"{name}-w{w}"), context.Amnesia, context.LoadCpus, context.LogFile($"{name}-w{w}"), new Dictionary<string, string>
                    {
                        ["SVCR_WITNESS__KEY_FILE"] = file,
                        ["SVCR_WITNESS__LOGS"] = log.VerifierKey.ToString(),
                    });
                    witnesses.Add(witness);
                    entries.Add($"{witness.BaseAddress} {signer.CosignatureKey}");
                }

                overrides["SVCR_TRUST__LOG_KEY"] = log.VerifierKey.ToString();
                overrides["SVCR_TRUST__LOG_KEY_FILE"] = logKeyFile;
                overrides["SVCR_TLOG__WITNESSES"] = string.Join(", ", entries);
            }

            Console.WriteLine($"workload 3e: pre-signed submission, {s.ManyClients} clients, {(witnessed ? "checkpoints signed, two witnesses" : "no checkpoint signing")}");
            await using var server = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, context.NewDirectory(name), context.Amnesia, context.ServerCpus, context.LogFile(name), overrides);
            using var client = new RegistryClient(server.BaseAddress, context.Trust, Math.Max(64, s.ManyClients * 4));
            await client.CommitChangesAsync(Enumerable.Range(0, Payload.Regions).Select(n => Payload.PutChange(Payload.Region(n))));
            var measurement = await Bench.MeasureAsync(
                server,
                s.Repetitions,
                async _ =>
                {
                    var before = await CosignedSizeAsync(client, witnesses.Count);
                    var rep = await PreSignedLoop.RunAsync(client, s.ManyClients, s.WriteDuration);
                    rep.Extra["cosigned_growth"] = await CosignedSizeAsync(client, witnesses.Count) - before;
                    return rep;
                },
                () => PreSignedLoop.RunAsync(client, s.ManyClients, s.WarmUp),
                witnessed
                    ? "trust.log_key set (a checkpoint per commit batch) and tlog.witnesses = two svc-registry witness nodes; cosigned_growth = how far the tree size carried by the served checkpoint with both cosignatures grew during the repetition."
                    : "No trust.log_key: the tree is kept, nothing is signed or witnessed.");
            context.Add(new WorkloadResult
            {
                Id = witnessed ? $"tlog-presigned-{s.ManyClients}-witnessed" : $"tlog-presigned-{s.ManyClients}-plain",
                Group = Group,
                Variant = witnessed ? $"{s.ManyClients} clients, checkpoints signed, 2 witnesses" : $"{s.ManyClients} clients, no signing",
                Kind = WorkloadKind.Rate,
                ThroughputUnit = "commits/s",
                Description = "The pre-signed N-client run of 3c on a fresh server of its own (10 regions seeded): once with no log key, once signing a checkpoint after every commit batch and asking two witnesses on loopback to cosign each (off the commit path). The issue asks that throughput with them stay within 10% of without.",
                Registry = measurement,
            });

            if (witnessed)
            {
                await BundleReadRowAsync(server);
            }

            await server.StopAsync();
        }
        finally
        {
            foreach (var witness in witnesses)
            {
                await witness.DisposeAsync();
            }
        }
    }

    private async Task BundleReadRowAsync(RegistryServer server)
    {
        var connections = context.Settings.ManyClients;
        var path = $"/registry/descriptors/{Payload.RegionId(0)}?proof=full";
        Console.WriteLine($"workload 1b: proof-bundle read, {connections} connections");
        context.Add(new WorkloadResult
        {
            Id = $"proof-bundle-read-{connections}",
            Group = "1b. Proof-bundle read",
            Variant = $"{connections} connections",
            Kind = WorkloadKind.Rate,
            Description = $"svc-registry GET {path} on the witnessed server of workload 3e: the descriptor, its state proof, the head record with its inclusion proof and the checkpoint with the log's and both witnesses' lines. etcd has no counterpart.",
            Registry = await ReadWorkloads.WrkAsync(context, server, "GET", path, null, connections),
        });
    }

    // The size of the served checkpoint when it carries this many witness lines (the log's own two not counted), else 0.
    private static async Task<long> CosignedSizeAsync(RegistryClient client, int witnesses)
    {
        if (witnesses == 0)
        {
            return 0;
        }

        var text = await client.Http.GetStringAsync("/registry/tlog/checkpoint");
        var lines = text.Split('\n');
        return lines.Count(l => l.StartsWith('\u2014')) >= 2 + witnesses ? long.Parse(lines[1], CultureInfo.InvariantCulture) : 0;
    }
}
