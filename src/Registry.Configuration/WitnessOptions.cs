using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>
/// [witness]: make this node a C2SP tlog-witness (SPEC §10) that serves <c>POST /add-checkpoint</c> on the API listener
/// and cosigns, with its own key, only checkpoints of the logs below that are consistent with what it cosigned before.
/// A primary or a replica can be a witness.
/// </summary>
public sealed class WitnessOptions
{
    /// <summary>
    /// The witness's private key (<c>PRIVATE+KEY+&lt;witness name&gt;+…</c>, from <c>ronctl tlog keygen --witness NAME</c>).
    /// Empty (the default): this node is not a witness and <c>/add-checkpoint</c> answers 404.
    /// </summary>
    [ConfigurationKeyName("key_file")]
    public string KeyFile { get; init; } = string.Empty;

    /// <summary>
    /// The logs this witness witnesses: their verifier keys (C2SP vkeys of type 0x01, each named with its log's origin,
    /// for this registry the registry id, as in <c>trust.log_key</c>), separated by commas or white space.
    /// </summary>
    [ConfigurationKeyName("logs")]
    public string Logs { get; init; } = string.Empty;

    /// <summary>Where the latest cosigned checkpoint of each log is kept. Empty: <c>&lt;data dir&gt;/witness</c> (in memory with <c>--amnesia</c>).</summary>
    [ConfigurationKeyName("state_dir")]
    public string StateDir { get; init; } = string.Empty;

    /// <summary>True when this node is a witness.</summary>
    public bool Enabled => KeyFile.Length > 0;
}
