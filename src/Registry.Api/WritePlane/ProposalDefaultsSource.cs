using Registry.Core.Model;

namespace Registry.Api.WritePlane;

/// <summary>Fills what a proposal request may omit: this registry's id and an expiry of now + <c>proposal_ttl_seconds</c>.</summary>
public sealed class ProposalDefaultsSource(string registryId, TimeSpan ttl, TimeProvider time)
{
    /// <summary>The defaults as of now.</summary>
    public ProposalDefaults Now() => new(registryId, Timestamp.From(time.GetUtcNow()).Add(ttl));
}
