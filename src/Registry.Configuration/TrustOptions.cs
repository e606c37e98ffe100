using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[trust]: the genesis signer set and the transparency log's signing key.</summary>
public sealed class TrustOptions
{
    /// <summary>The trust-roots document <c>{"registry","signer_set"}</c>. Empty in dev mode: generated.</summary>
    [ConfigurationKeyName("trust_roots_file")]
    public string TrustRootsFile { get; init; } = string.Empty;

    /// <summary>Pin: <c>sha256:</c> of the document's canonical form. Start-up fails if it differs.</summary>
    [ConfigurationKeyName("trust_roots_digest")]
    public string TrustRootsDigest { get; init; } = string.Empty;

    /// <summary>
    /// The transparency log's verifier key, a C2SP vkey <c>&lt;registry id&gt;+&lt;key ID&gt;+&lt;base64(0x01 || Ed25519 public key)&gt;</c>
    /// that clients pin. Empty: no signed checkpoints (in dev mode an ephemeral key is generated and logged).
    /// </summary>
    [ConfigurationKeyName("log_key")]
    public string LogKey { get; init; } = string.Empty;

    /// <summary>The file holding the log's private key (<c>PRIVATE+KEY+…</c>, the signed-note text form); required with <see cref="LogKey"/>.</summary>
    [ConfigurationKeyName("log_key_file")]
    public string LogKeyFile { get; init; } = string.Empty;

    /// <summary>
    /// A staged rotation's private key (same form as <see cref="LogKeyFile"/>, named with the registry id): the service
    /// signs with it from the first checkpoint whose tree holds the <c>set_log_key</c> commit that names its vkey, and a
    /// <c>set_log_key</c> proposal for any other key is refused. Empty (the default): nothing staged.
    /// </summary>
    [ConfigurationKeyName("next_log_key_file")]
    public string NextLogKeyFile { get; init; } = string.Empty;
}
