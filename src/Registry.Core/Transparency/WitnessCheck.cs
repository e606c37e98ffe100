// The checks a C2SP tlog-witness (https://c2sp.org/tlog-witness) makes on an add-checkpoint request before it
// cosigns, in the spec's order and with its status codes: the checkpoint's origin must be a log the witness is
// configured for (404), signed by that log's key (403); the old size must not exceed the checkpoint's (400) and must
// be the size of the latest checkpoint the witness cosigned for that origin, 0 when none (409, answered with the
// stored size); at the same size the roots must match (409); otherwise the consistency proof from the stored
// checkpoint must verify (422), and it must be empty from size 0. Only then may the witness persist and cosign.

namespace Registry.Core.Transparency;

/// <summary>The add-checkpoint checks of a witness. Stateless and thread-safe: the caller holds the origin's lock around check and persist.</summary>
public static class WitnessCheck
{
    /// <summary>
    /// Checks <paramref name="request"/> against the log keys the witness trusts and the checkpoint it last cosigned
    /// for the request's origin.
    /// </summary>
    /// <param name="request">The parsed request.</param>
    /// <param name="logKeyOf">The type 0x01 verifier key of an origin, or null when the witness does not witness it.</param>
    /// <param name="storedOf">The latest checkpoint cosigned for an origin, or null when none.</param>
    public static WitnessVerdict Check(AddCheckpointRequest request, Func<string, NoteVerifierKey?> logKeyOf, Func<string, Checkpoint?> storedOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logKeyOf);
        ArgumentNullException.ThrowIfNull(storedOf);
        if (!Checkpoint.TryParse(request.Note.Text, out var checkpoint))
        {
            return new WitnessVerdict(WitnessOutcome.BadRequest, null, 0, "the note is not a checkpoint (origin, size, base64 root, no extension lines)");
        }

        if (logKeyOf(checkpoint.Origin) is not { } key)
        {
            return new WitnessVerdict(WitnessOutcome.UnknownOrigin, checkpoint, 0, $"this witness does not witness the log '{checkpoint.Origin}'");
        }

        if (!request.Note.VerifiedBy(key))
        {
            return new WitnessVerdict(WitnessOutcome.NotSigned, checkpoint, 0, $"the checkpoint is not signed by the log key {key.Name}+{key.KeyId:x8}");
        }

        var stored = storedOf(checkpoint.Origin);
        var storedSize = stored?.Size ?? 0;
        if (request.OldSize > checkpoint.Size)
        {
            return new WitnessVerdict(WitnessOutcome.BadRequest, checkpoint, storedSize, $"the old size {request.OldSize} exceeds the checkpoint's size {checkpoint.Size}");
        }

        if (request.OldSize != storedSize)
        {
            return new WitnessVerdict(WitnessOutcome.Conflict, checkpoint, storedSize, $"the old size {request.OldSize} is not the size {storedSize} of the latest cosigned checkpoint");
        }

        if (stored is null)
        {
            return request.Proof.IsEmpty
                ? new WitnessVerdict(WitnessOutcome.Cosign, checkpoint, 0, string.Empty)
                : new WitnessVerdict(WitnessOutcome.InconsistentProof, checkpoint, 0, "a consistency proof from size 0 must be empty");
        }

        if (checkpoint.Size == stored.Size)
        {
            return checkpoint.Root == stored.Root
                ? new WitnessVerdict(WitnessOutcome.Cosign, checkpoint, storedSize, string.Empty)
                : new WitnessVerdict(WitnessOutcome.Conflict, checkpoint, storedSize,
                    $"split view: the checkpoint of size {checkpoint.Size} has root {checkpoint.Root}, but the cosigned one of that size has {stored.Root}");
        }

        return MerkleProof.VerifyConsistency(stored.Size, checkpoint.Size, request.Proof, stored.Root, checkpoint.Root)
            ? new WitnessVerdict(WitnessOutcome.Cosign, checkpoint, storedSize, string.Empty)
            : new WitnessVerdict(WitnessOutcome.InconsistentProof, checkpoint, storedSize,
                $"inconsistent: the checkpoint of size {checkpoint.Size} does not extend the cosigned one of size {stored.Size} (the consistency proof fails)");
    }
}
