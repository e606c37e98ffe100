namespace Registry.LoadTest;

/// <summary>Command line of the harness (perf/run.sh passes these).</summary>
public sealed record HarnessOptions(HarnessSettings Settings, string RepoRoot, string OutputDirectory, string? ServerCpus, string? LoadCpus, bool ForceAmnesia, string? Only, bool Ha = false)
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        usage: Registry.LoadTest [--smoke] [--only small|large|presigned|notify|tlog|replica|ha] [--ha] [--repo DIR] [--out DIR] [--server-cpus LIST] [--load-cpus LIST] [--amnesia]
          --smoke           every workload once with tiny counts (seconds); results go to <out>/smoke-<date>.*
          --repo DIR        repository root (default: found from the binary's location)
          --out DIR         where <date>.md/.json and latest.md go (default: <repo>/perf/results)
          --server-cpus L   taskset CPU list for both servers (default: upper half of the CPUs; "none" = no pinning)
          --load-cpus L     taskset CPU list for wrk and this harness (default: lower half)
          --amnesia         run svc-registry in memory even if durable storage is available
          --only PHASE      run one phase: "small" (workloads 1-4), "large" (5-8, and 9's bootstrap),
                            "replica" (9: lag, and the bootstrap on a large data set built first), "ha" (10,
                            implies --ha); quick checks: "presigned" (3c only), "notify" (4b only, no etcd
                            column), "tlog" (3e and 1b only); results still written
          --ha              also run workload 10: 3 registry nodes on a 3-member etcd cluster (throughput, fail-over,
                            head reads beside a single FasterLog node) and its service targets
        """;

    /// <summary>Parses the arguments; null on a usage error.</summary>
    public static HarnessOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = HarnessSettings.Full;
        string? repo = null, output = null, server = null, load = null, only = null;
        var amnesia = false;
        var ha = false;
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--smoke":
                    settings = HarnessSettings.Smoke;
                    break;
                case "--repo":
                    repo = Value();
                    break;
                case "--out":
                    output = Value();
                    break;
                case "--server-cpus":
                    server = Value();
                    break;
                case "--load-cpus":
                    load = Value();
                    break;
                case "--amnesia":
                    amnesia = true;
                    break;
                case "--ha":
                    ha = true;
                    break;
                case "--only":
                    only = Value();
                    if (only is not ("small" or "large" or "presigned" or "notify" or "tlog" or "replica" or "ha"))
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }
        }

        repo ??= FindRepoRoot();
        if (repo is null)
        {
            return null;
        }

        var (defaultServer, defaultLoad) = DefaultCpuSets(Environment.ProcessorCount);
        server = server == "none" ? null : server ?? defaultServer;
        load = load == "none" ? null : load ?? defaultLoad;
        return new HarnessOptions(settings, repo, output ?? Path.Combine(repo, "perf", "results"), server, load, amnesia, only, ha || only == "ha");
    }

    /// <summary>
    /// Both servers share the upper half of the CPUs, the load generators get the lower half (on 2 cores: servers
    /// on CPU 1, load on CPU 0), so a server never competes with its own load generator. One CPU: no pinning.
    /// </summary>
    public static (string? Server, string? Load) DefaultCpuSets(int cpus)
    {
        if (cpus < 2)
        {
            return (null, null);
        }

        var half = cpus / 2;
        return (Range(half, cpus - 1), Range(0, half - 1));
        static string Range(int from, int to) => from == to ? $"{from}" : $"{from}-{to}";
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Registry.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
