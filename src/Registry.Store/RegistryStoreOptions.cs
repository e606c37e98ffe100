using Registry.Store.Faults;

namespace Registry.Store;

/// <summary>Settings for <see cref="RegistryStore"/>. Immutable; validated when the store opens.</summary>
public sealed class RegistryStoreOptions
{
    /// <summary>The data directory (ignored in amnesia mode).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Keep everything in memory and write no file anywhere (<c>--amnesia</c>).</summary>
    public bool Amnesia { get; init; }

    /// <summary>Take a checkpoint at least this often while the state changes (default 60 s).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Also take one every N commits (default 10,000).</summary>
    public int CheckpointEveryCommits { get; init; } = 10_000;

    /// <summary>Keep the newest K checkpoints (default 3).</summary>
    public int CheckpointsKept { get; init; } = 3;

    /// <summary>Take a last checkpoint on a clean close when the state moved since the newest one (default true), so a restart replays nothing.</summary>
    public bool CheckpointOnClose { get; init; } = true;

    /// <summary>
    /// Take a checkpoint right after a recovery that replayed at least this many log entries (default 1,000), so a
    /// process that keeps crashing before the checkpoint interval does not replay ever more of the log on every start.
    /// </summary>
    public long CheckpointAfterReplayEntries { get; init; } = 1_000;

    /// <summary>How often a store whose writes failed probes the disk and re-opens its log (default 1 s).</summary>
    public TimeSpan WriteFaultRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for checkpoint timing and ages.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Injected storage faults (tests, chaos); null for none.</summary>
    public StorageFaultInjector? Faults { get; init; }

    /// <summary>log2 of the log page size (default 20 = 1 MiB); entries never span pages.</summary>
    public int LogPageSizeBits { get; init; } = 20;

    internal void Validate()
    {
        if (!Amnesia)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory);
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointEveryCommits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointsKept, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointAfterReplayEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WriteFaultRetryInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(Time);
    }
}
