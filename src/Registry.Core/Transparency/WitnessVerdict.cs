namespace Registry.Core.Transparency;

/// <summary>The outcome of <see cref="WitnessCheck.Check"/>. Immutable.</summary>
/// <param name="Outcome">What to answer.</param>
/// <param name="Checkpoint">The parsed checkpoint (null when it could not be parsed).</param>
/// <param name="StoredSize">The size of the latest checkpoint the witness cosigned for the origin (0: none).</param>
/// <param name="Reason">Why, for people and logs (empty on <see cref="WitnessOutcome.Cosign"/>).</param>
public sealed record WitnessVerdict(WitnessOutcome Outcome, Checkpoint? Checkpoint, long StoredSize, string Reason);
