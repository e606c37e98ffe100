using Registry.Core.Model;

namespace Registry.Api.WritePlane;

/// <summary>
/// Fills what a proposal request may omit: this registry's id, an expiry of now + <c>proposal_ttl_seconds</c>, and
/// the version of the signer set in force (read from <paramref name="signerSetVersion"/> as of the request).
/// </summary>
public sealed class ProposalDefaultsSource(string registryId, TimeSpan ttl, TimeProvider time, Func<long> signerSetVersion)
{
    /// <summary>The defaults as of now.</summary>
    public ProposalDefaults Now() => new(registryId, Timestamp.From(time.GetUtcNow()).Add(ttl), signerSetVersion());
}
