using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[storage]: checkpoints, in-memory history, and where hot backups go.</summary>
public sealed class StorageOptions
{
    /// <summary>The default backend: the embedded FasterLog on local disk, one node.</summary>
    public const string FasterBackend = "faster";

    /// <summary>High availability: the event log in an etcd cluster (<c>[etcd]</c>), a local verified copy on every node.</summary>
    public const string EtcdBackend = "etcd";

    /// <summary>Where the event log lives: <c>"faster"</c> (default) or <c>"etcd"</c> (SPEC §5, §9).</summary>
    [ConfigurationKeyName("backend")]
    public string Backend { get; init; } = FasterBackend;

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

    /// <summary>
    /// Take a checkpoint right after a start whose recovery replayed at least this many log entries, so restarts in a
    /// crash loop do not replay ever more of the log.
    /// </summary>
    [ConfigurationKeyName("checkpoint_after_replay_entries")]
    [Range(1, 100_000_000)]
    public int CheckpointAfterReplayEntries { get; init; } = 1_000;

    /// <summary>How many recent versions stay in memory as full states.</summary>
    [ConfigurationKeyName("history_window")]
    [Range(1, 1_000_000)]
    public int HistoryWindow { get; init; } = 1024;

    /// <summary>Older versions: keep one anchor state every N versions and replay from it.</summary>
    [ConfigurationKeyName("history_anchor_interval")]
    [Range(16, 1_000_000)]
    public int HistoryAnchorInterval { get; init; } = 256;

    /// <summary>
    /// Where <c>POST /admin/backup</c> writes hot backups, each into a new directory the service names
    /// (<c>backup-&lt;UTC stamp&gt;-&lt;random&gt;</c>). Empty: <c>&lt;data_dir&gt;/backups</c>.
    /// </summary>
    [ConfigurationKeyName("backup_dir")]
    public string BackupDir { get; init; } = string.Empty;

    /// <summary>A problem naming the key when <see cref="Backend"/> is neither backend, else null.</summary>
    /// <returns>Null when valid, else the problem.</returns>
    public string? BackendProblem() =>
        Backend is FasterBackend or EtcdBackend ? null : $"'storage.backend' must be \"{FasterBackend}\" or \"{EtcdBackend}\", got '{Backend}'";
}
