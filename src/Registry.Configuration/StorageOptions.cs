using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[storage]: checkpoints and in-memory history.</summary>
public sealed class StorageOptions
{
    /// <summary>Take a checkpoint at least this often (seconds) while commits happen.</summary>
    [ConfigurationKeyName("checkpoint_interval_seconds")]
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; init; } = 60;

    /// <summary>Also take one every N commits.</summary>
    [ConfigurationKeyName("checkpoint_every_commits")]
    [Range(1, 10_000_000)]
    public int CheckpointEveryCommits { get; init; } = 10_000;

    /// <summary>Keep the newest K checkpoints.</summary>
    [ConfigurationKeyName("checkpoints_kept")]
    [Range(1, 100)]
    public int CheckpointsKept { get; init; } = 3;

    /// <summary>How many recent versions stay in memory as full states.</summary>
    [ConfigurationKeyName("history_window")]
    [Range(1, 1_000_000)]
    public int HistoryWindow { get; init; } = 1024;

    /// <summary>Older versions: keep one anchor state every N versions and replay from it.</summary>
    [ConfigurationKeyName("history_anchor_interval")]
    [Range(16, 1_000_000)]
    public int HistoryAnchorInterval { get; init; } = 256;
}
