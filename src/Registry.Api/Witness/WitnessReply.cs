using Registry.Core.Transparency;

namespace Registry.Api.Witness;

/// <summary>The answer to one add-checkpoint request: the verdict and, when it is to cosign, the cosignature line. Immutable.</summary>
/// <param name="Verdict">The checks' outcome (see <see cref="WitnessCheck"/>).</param>
/// <param name="Cosignature">The witness's cosignature/v1 line, present exactly when the verdict is <see cref="WitnessOutcome.Cosign"/>.</param>
public sealed record WitnessReply(WitnessVerdict Verdict, NoteSignature? Cosignature);
