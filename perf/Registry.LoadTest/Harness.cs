using System.Diagnostics;
using System.Globalization;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Systems;
using Registry.LoadTest.Workloads;

namespace Registry.LoadTest;

/// <summary>One run: both systems, every workload, the report files. Exit code 0 when every workload ran.</summary>
public static class Harness
{
    /// <summary>Runs everything.</summary>
    public static async Task<int> RunAsync(HarnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        PinSelf(options.LoadCpus);
        var work = Directory.CreateTempSubdirectory("svcr-perf-").FullName;
        Directory.CreateDirectory(Path.Combine(work, "logs"));
        var now = DateTimeOffset.UtcNow;
        var report = new RunReport
        {
            Date = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            StartedAt = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Mode = options.Settings.Mode,
        };
        var busy = await MachineLoad.BusyShareAsync(TimeSpan.FromSeconds(options.Settings.IsSmoke ? 0.5 : 2));
        var failed = false;
        try
        {
            var amnesia = options.ForceAmnesia || !await DurableStorageAvailableAsync(options, work);
            EnvironmentInfo.Fill(report.Environment, options, amnesia, busy);
            if (amnesia)
            {
                report.Notes.Add("svc-registry ran with --amnesia: write numbers are NOT comparable with etcd's fsynced writes, and workloads that need a data directory (resume, cold start, restore, memory at 100,000 versions, old-version read) are skipped for it.");
            }

            using var context = new RunContext(options.Settings, options.RepoRoot, work, options.ServerCpus, options.LoadCpus, amnesia, report);
            if (options.Only is null or "small" or "presigned" or "notify")
            {
                await SmallDataPhase.RunAsync(context, preSignedOnly: options.Only == "presigned", notifyOnly: options.Only == "notify");
            }

            if (options.Only == "tlog")
            {
                // Workloads 3e and 1b alone: they start servers of their own, no data set, no etcd.
                await new TransparencyWorkloads(context).RunAsync();
            }

            if (options.Only is null or "large")
            {
                await LargeDataPhase.RunAsync(context);
            }

            if (options.Only is null or "replica")
            {
                await ReplicaPhase.RunAsync(context, withBootstrap: options.Only == "replica");
            }

            if (options.Ha && options.Only is null or "ha")
            {
                if (amnesia)
                {
                    report.Notes.Add("workload 10 (--ha) needs durable storage and was skipped.");
                }
                else
                {
                    await new Workloads.HaWorkloads(context).RunAsync();
                }
            }

            if (options.Only is not null)
            {
                report.Notes.Add($"only the {options.Only} phase ran (--only {options.Only}).");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failed = true;
            report.Notes.Add($"the run stopped early: {ex.GetType().Name}: {ex.Message} (logs kept in {work}/logs)");
            Console.Error.WriteLine(ex);
        }

        NoteDisturbance(report);
        ServiceTargets.Evaluate(report, options.Settings, options.Ha);
        report.Notes.Add($"machine load average at the end: {MachineLoad.LoadAverage()}");
        report.ElapsedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
        var md = ReportFiles.Write(report, options.OutputDirectory);
        Console.WriteLine($"results: {md} ({report.ElapsedSeconds:0} s)");
        foreach (var t in report.Targets)
        {
            Console.WriteLine($"  target {(t.Met is null ? "n/a" : t.Met.Value ? "met" : "MISSED"),-6} {t.Name}: {t.Measured} (target {t.Target})");
        }

        if (!failed)
        {
            Directory.Delete(work, recursive: true);
        }

        return failed ? 1 : 0;
    }

    // Other users share the machine: say how much of it they took while we measured, and where it was worst.
    private static void NoteDisturbance(RunReport report)
    {
        var measured = report.Workloads
            .SelectMany(w => new[] { w.Registry, w.Etcd }.OfType<SystemMeasurement>().Select(m => (Row: w, M: m)))
            .Where(x => x.M.OtherCpuCores is not null)
            .ToList();
        if (measured.Count == 0)
        {
            return;
        }

        var mean = measured.Average(x => x.M.OtherCpuCores!.Value);
        var worst = measured.Where(x => x.M.OtherCpuCores >= 0.5).Select(x => $"{x.Row.Id} ({x.M.System}, {x.M.OtherCpuCores:0.0})").ToList();
        report.Notes.Insert(0, $"**Machine load during the measurements:** processes other than the measured server and the load generator used {mean:0.00} of the {Environment.ProcessorCount} cores on average"
            + (worst.Count == 0 ? "; no workload was disturbed by more than half a core." : $"; at least half a core during {worst.Count} of {measured.Count} measurements: {string.Join(", ", worst)}. Those numbers understate both systems; compare them with care."));
    }

    // svc-registry builds without durable storage answer "run with --amnesia" and exit; anything else is an error.
    private static async Task<bool> DurableStorageAvailableAsync(HarnessOptions options, string work)
    {
        using var trust = Setup.TrustMaterial.Generate();
        var config = trust.WriteConfig(Path.Combine(work, "probe"));
        var log = Path.Combine(work, "logs", "registry-probe.log");
        var dll = Path.Combine(options.RepoRoot, "src", "Registry.Api", "bin", "Release", "net10.0", "svc-registry.dll");
        try
        {
            await using var server = await RegistryServer.StartAsync(dll, config, Directory.CreateDirectory(Path.Combine(work, "probe", "data")).FullName, false, options.ServerCpus, log);
            return true;
        }
        catch (TimeoutException) when (File.ReadAllText(log).Contains("durable storage is not wired", StringComparison.Ordinal))
        {
            Console.WriteLine("svc-registry has no durable storage in this build: running it with --amnesia");
            return false;
        }
    }

    // The harness is a load generator too: keep it on the load CPUs, away from the servers.
    private static void PinSelf(string? cpus)
    {
        if (cpus is null)
        {
            return;
        }

        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, UseShellExecute = false });
        taskset?.WaitForExit();
    }
}
