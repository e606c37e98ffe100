using Registry.Core.Crypto;

namespace Registry.Core.Machine;

/// <summary>
/// Approval signatures already checked ahead of the sequential verifier (<see cref="ApprovalPreverifier"/>), for one
/// commit record or one approval event: for each approval, by its index, the key its signature verified under.
/// </summary>
/// <remarks>
/// <para>
/// A cache of a pure function, nothing more: an entry says only "this signature is a valid Ed25519 signature by this key
/// over this proposal id". The sequential verifier (<see cref="RegistryMachine.Verify(State.RegistryState, Model.CommitRecord, PreverifiedApprovals, out State.RegistryState?)"/>)
/// still derives every approval's key from the state it verifies against, and uses an entry only when that key is the
/// one the entry names; otherwise it verifies the signature itself, as it always did. Every decision, every error and
/// its order are therefore exactly what they are without the cache; the cache only moves the expensive part (about 40
/// µs a signature) off the sequential path and onto every core.
/// </para>
/// <para>Immutable; thread-safe.</para>
/// </remarks>
public sealed class PreverifiedApprovals
{
    private readonly Ed25519PublicKey?[] _keys;

    internal PreverifiedApprovals(Ed25519PublicKey?[] keys) => _keys = keys;

    /// <summary>Nothing checked in advance: the verifier checks every signature itself.</summary>
    public static PreverifiedApprovals None { get; } = new([]);

    /// <summary>How many approvals have a verified key.</summary>
    public int Count => _keys.Count(k => k is not null);

    /// <summary>True when approval <paramref name="index"/>'s signature was verified valid under <paramref name="key"/>.</summary>
    public bool Covers(int index, Ed25519PublicKey key) =>
        index >= 0 && index < _keys.Length && _keys[index] is { } verified && verified == key;
}
