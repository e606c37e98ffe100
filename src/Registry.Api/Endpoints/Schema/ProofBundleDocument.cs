using System.Text.Json;

namespace Registry.Api.Endpoints.Schema;

/// <summary><c>GET /registry/descriptors/{id}?proof=full</c>: the proof bundle (docs/PROTOCOL.md section 12.8).</summary>
internal sealed record ProofBundleDocument(string Checkpoint, ConsistencyDocument? Consistency, JsonElement Descriptor, IReadOnlyList<string> LogProof, CommitRecordDocument Record, InclusionProofDocument StateProof);

/// <summary>A consistency proof from tree size <c>from</c> to the bundle's checkpoint.</summary>
internal sealed record ConsistencyDocument(long From, IReadOnlyList<string> Proof);
