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

    /// <summary>
    /// The witnesses to ask for cosignatures after each signing: comma-separated entries
    /// <c>&lt;submission prefix URL&gt; &lt;witness vkey&gt;</c> (the vkey a C2SP cosignature/v1 key, type 0x04, as
    /// <c>ronctl tlog keygen --witness</c> prints it); <c>POST &lt;prefix&gt;/add-checkpoint</c> is called off the
    /// commit path. Empty (the default): no witnesses.
    /// </summary>
    [ConfigurationKeyName("witnesses")]
    public string Witnesses { get; init; } = string.Empty;

    /// <summary>Milliseconds one add-checkpoint call to a witness may take before it is abandoned for this round.</summary>
    [ConfigurationKeyName("witness_timeout_ms")]
    [Range(100, 60000)]
    public int WitnessTimeoutMs { get; init; } = 2000;
}
