using System.Collections.Immutable;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>
/// A k-of-n witness policy (SPEC §10): a checkpoint is trusted only when at least <see cref="Threshold"/> of the
/// <see cref="Witnesses"/> cosigned it with C2SP cosignature/v1. A witness counts once, however many lines it added,
/// and only when every line naming its key verifies. Immutable; thread-safe.
/// </summary>
public sealed class WitnessPolicy
{
    /// <summary>Creates the policy: <paramref name="threshold"/> (1..n) of <paramref name="witnesses"/> (type 0x04 vkeys, distinct).</summary>
    public WitnessPolicy(int threshold, IEnumerable<NoteVerifierKey> witnesses)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        var keys = witnesses.ToImmutableArray();
        if (keys.Any(k => k.Type != NoteVerifierKey.CosignatureV1Type))
        {
            throw new ArgumentException("Witness keys must be cosignature/v1 (type 0x04) vkeys.", nameof(witnesses));
        }

        if (keys.Select(k => (k.Name, k.KeyId)).Distinct().Count() != keys.Length)
        {
            throw new ArgumentException("A witness key is listed twice.", nameof(witnesses));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, keys.Length);
        Threshold = threshold;
        Witnesses = keys;
    }

    /// <summary>How many witnesses must have cosigned (k).</summary>
    public int Threshold { get; }

    /// <summary>The witnesses' cosignature keys (n).</summary>
    public ImmutableArray<NoteVerifierKey> Witnesses { get; }

    /// <summary>The names of the policy's witnesses whose cosignature of <paramref name="note"/> verifies.</summary>
    public ImmutableArray<string> CosignersOf(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return [.. Witnesses.Where(key => Cosignature.TryVerify(note, key, out _)).Select(key => key.Name)];
    }

    /// <summary>Parses a policy from vkey strings, as ronctl and configuration give them.</summary>
    /// <exception cref="FormatException">A key is not a type 0x04 vkey.</exception>
    public static WitnessPolicy Parse(int threshold, IEnumerable<string> witnessKeys)
    {
        ArgumentNullException.ThrowIfNull(witnessKeys);
        return new WitnessPolicy(threshold, witnessKeys.Select(NoteVerifierKey.Parse));
    }
}
