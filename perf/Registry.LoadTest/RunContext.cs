using Registry.LoadTest.Load;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest;

/// <summary>What every phase of one run shares: settings, paths, CPU sets, keys and the report being filled.</summary>
public sealed class RunContext : IDisposable
{
    /// <summary>Creates the context; <paramref name="workDirectory"/> holds every data directory and log of the run.</summary>
    public RunContext(HarnessSettings settings, string repoRoot, string workDirectory, string? serverCpus, string? loadCpus, bool amnesia, RunReport report)
    {
        Settings = settings;
        RepoRoot = repoRoot;
        WorkDirectory = workDirectory;
        ServerCpus = serverCpus;
        LoadCpus = loadCpus;
        Amnesia = amnesia;
        Report = report;
        Trust = TrustMaterial.Generate();
        ConfigFile = Trust.WriteConfig(Path.Combine(workDirectory, "config"));
        Wrk = new WrkRunner(Path.Combine(repoRoot, "perf", "wrk", "request.lua"), loadCpus);
    }

    /// <summary>Counts and durations.</summary>
    public HarnessSettings Settings { get; }

    /// <summary>The repository root (perf/, src/).</summary>
    public string RepoRoot { get; }

    /// <summary>Scratch directory of this run (data directories, logs, request bodies).</summary>
    public string WorkDirectory { get; }

    /// <summary>CPUs both servers are pinned to (null: not pinned).</summary>
    public string? ServerCpus { get; }

    /// <summary>CPUs the load generators (wrk, this harness) run on.</summary>
    public string? LoadCpus { get; }

    /// <summary>
    /// Every CPU of the run (the load and the server CPUs together), for the offline restores, which run alone on the
    /// machine (both servers stopped); null when nothing is pinned.
    /// </summary>
    public string? AllCpus => ServerCpus is null || LoadCpus is null ? null : $"{LoadCpus},{ServerCpus}";

    /// <summary>The trust roots file the configuration names.</summary>
    public string TrustRootsFile => Path.Combine(WorkDirectory, "config", "trust-roots.json");

    /// <summary>True when svc-registry has to run in memory (no durable storage in this build).</summary>
    public bool Amnesia { get; }

    /// <summary>The report being filled.</summary>
    public RunReport Report { get; }

    /// <summary>The run's keys and token.</summary>
    public TrustMaterial Trust { get; }

    /// <summary>svc-registry's TOML configuration.</summary>
    public string ConfigFile { get; }

    /// <summary>wrk, pinned to the load CPUs.</summary>
    public WrkRunner Wrk { get; }

    /// <summary>The built service.</summary>
    public string ServiceDll => Path.Combine(RepoRoot, "src", "Registry.Api", "bin", "Release", "net10.0", "svc-registry.dll");

    /// <summary>A new, empty directory under the run's scratch directory.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(WorkDirectory, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A log file path under the run's scratch directory.</summary>
    public string LogFile(string name) => Path.Combine(WorkDirectory, "logs", name + ".log");

    /// <summary>Adds a row to the report.</summary>
    public WorkloadResult Add(WorkloadResult row)
    {
        Report.Workloads.Add(row);
        return row;
    }

    /// <inheritdoc />
    public void Dispose() => Trust.Dispose();
}
