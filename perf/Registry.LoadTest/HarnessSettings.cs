namespace Registry.LoadTest;

/// <summary>
/// Counts and durations for one run. <see cref="Full"/> is what perf/run.sh measures (well under 10 minutes on
/// 2 cores); <see cref="Smoke"/> runs every workload with tiny counts in seconds, so CI keeps the harness from
/// rotting without asserting any timing.
/// </summary>
public sealed record HarnessSettings
{
    /// <summary>"full" or "smoke".</summary>
    public required string Mode { get; init; }

    /// <summary>Repetitions measured per workload (after one warm-up).</summary>
    public required int Repetitions { get; init; }

    /// <summary>Warm-up before the measured repetitions of a rate workload.</summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>
    /// Warm-up before the measured repetitions of a read workload (wrk). Longer than <see cref="WarmUp"/>: a read at
    /// one connection takes about 0.1 ms, so it is the workload most sensitive to the .NET JIT still tiering the
    /// request path up (with the server pinned to one CPU the tier-1 compiles compete with the requests). Measured
    /// on main at 1 connection: about 7,500/s after a 3 s warm-up, 11,500/s after 20 s; the 0608c66 build: 8,900/s
    /// and 10,000-13,700/s.
    /// </summary>
    public required TimeSpan ReadWarmUp { get; init; }

    /// <summary>Length of one measured repetition of a read workload (wrk).</summary>
    public required TimeSpan ReadDuration { get; init; }

    /// <summary>Length of one measured repetition of a write workload.</summary>
    public required TimeSpan WriteDuration { get; init; }

    /// <summary>The many-connection / many-client level (50 in the issue).</summary>
    public required int ManyClients { get; init; }

    /// <summary>Descriptors in the small data set the read and write workloads run against.</summary>
    public required int SmallDescriptors { get; init; }

    /// <summary>The "with checkpoints" pre-signed run takes a checkpoint every this many commits.</summary>
    public required int CheckpointEveryCommits { get; init; }

    /// <summary>Writes per second the change-notification workload offers.</summary>
    public required int NotifyRate { get; init; }

    /// <summary>Length of one measured repetition of the change-notification workload.</summary>
    public required TimeSpan NotifyDuration { get; init; }

    /// <summary>The subscriber counts of the change-notification workload (1 and 100 in the issue).</summary>
    public required int[] NotifySubscribers { get; init; }

    /// <summary>Descriptors at HEAD of the large data set (cold start, restore, memory).</summary>
    public required int LargeDescriptors { get; init; }

    /// <summary>Commits (= SSE events, = etcd revisions) in the large data set (resume).</summary>
    public required int LargeCommits { get; init; }

    /// <summary>
    /// Repetitions of svc-registry's restore: each one verifies every signature of the whole history (300,000 for
    /// 100,000 commits) on one core, tens of seconds, so the full run does one to stay well under 10 minutes.
    /// </summary>
    public required int RegistryRestoreRepetitions { get; init; }

    /// <summary>SIGKILLs of the HA writer in the fail-over measurement (<c>--ha</c>).</summary>
    public required int HaKills { get; init; }

    /// <summary>The HA nodes' lease TTL in seconds (<c>--ha</c>): the default 5 s in a full run.</summary>
    public required int HaLeaseTtlSeconds { get; init; }

    /// <summary>True in smoke mode.</summary>
    public bool IsSmoke => Mode == "smoke";

    /// <summary>The measured run.</summary>
    public static HarnessSettings Full { get; } = new()
    {
        Mode = "full",
        Repetitions = 3,
        WarmUp = TimeSpan.FromSeconds(1),
        ReadWarmUp = TimeSpan.FromSeconds(10),
        ReadDuration = TimeSpan.FromSeconds(4),
        WriteDuration = TimeSpan.FromSeconds(3),
        ManyClients = 50,
        SmallDescriptors = 100,
        CheckpointEveryCommits = 1_000,
        NotifyRate = 1000,
        NotifyDuration = TimeSpan.FromSeconds(3),
        NotifySubscribers = [1, 100],
        LargeDescriptors = 50_000,
        LargeCommits = 100_000,
        RegistryRestoreRepetitions = 1,
        HaKills = 20,
        HaLeaseTtlSeconds = 5,
    };

    /// <summary>Every workload once, tiny counts, seconds.</summary>
    public static HarnessSettings Smoke { get; } = new()
    {
        Mode = "smoke",
        Repetitions = 1,
        WarmUp = TimeSpan.FromMilliseconds(200),
        ReadWarmUp = TimeSpan.FromMilliseconds(200),
        ReadDuration = TimeSpan.FromSeconds(1),
        WriteDuration = TimeSpan.FromMilliseconds(500),
        ManyClients = 4,
        SmallDescriptors = 20,
        CheckpointEveryCommits = 50,
        NotifyRate = 100,
        NotifyDuration = TimeSpan.FromMilliseconds(500),
        NotifySubscribers = [1, 4],
        LargeDescriptors = 500,
        LargeCommits = 1_000,
        RegistryRestoreRepetitions = 1,
        HaKills = 2,
        HaLeaseTtlSeconds = 2,
    };
}
