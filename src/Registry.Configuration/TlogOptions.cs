using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[tlog]: the transparency log's checkpoints (the key is in [trust]).</summary>
public sealed class TlogOptions
{
    /// <summary>
    /// Seconds between re-signings of an unchanged checkpoint: its timestamped cosignature/v1 line is renewed this often
    /// while no commit happens, so a reader sees how fresh the log's view is. Every commit batch re-signs at once.
    /// </summary>
    [ConfigurationKeyName("refresh_seconds")]
    [Range(1, 86400)]
    public int RefreshSeconds { get; init; } = 30;
}
