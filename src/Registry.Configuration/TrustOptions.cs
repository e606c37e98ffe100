using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[trust]: the genesis signer set.</summary>
public sealed class TrustOptions
{
    /// <summary>The trust-roots document <c>{"registry","signer_set"}</c>. Empty in dev mode: generated.</summary>
    [ConfigurationKeyName("trust_roots_file")]
    public string TrustRootsFile { get; init; } = string.Empty;

    /// <summary>Pin: <c>sha256:</c> of the document's canonical form. Start-up fails if it differs.</summary>
    [ConfigurationKeyName("trust_roots_digest")]
    public string TrustRootsDigest { get; init; } = string.Empty;
}
