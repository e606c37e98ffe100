using System.Collections.Immutable;
using System.Text;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>
/// Verifies proof bundles (docs/PROTOCOL.md section 12.8) against trust roots held by the client: the registry id and
/// the log's pinned verifier key, an optional witness policy (k of n cosignatures, <see cref="WitnessPolicy"/>), and
/// the newest checkpoint trusted so far (<see cref="TrustedCheckpoints"/>).
/// </summary>
/// <remarks>
/// <para>Log key rotation (docs/PROTOCOL.md §12.14): a checkpoint is accepted when signed by the key the verifier holds
/// (<see cref="LogKey"/>, at first the pinned one). One signed by another key is refused (<see cref="BundleRefusal.LogKeyNotFollowed"/>)
/// unless a <see cref="Follower"/> has verified the chain through its last version N - 1: then it must be signed by the
/// key the chain puts in force at N - 1 (the pinned key while the chain names none), and its root must be the root of
/// the verified chain's N hashes. Once such a checkpoint is trusted, its key is the one the verifier holds; the key it
/// replaced is refused from then on. <see cref="RegistryClient.VerifyDescriptorAsync"/> follows as needed.</para>
/// Thread-safe. One instance per log, sharing one <see cref="Checkpoints"/> store, keeps the rollback defence.
/// </remarks>
public sealed class TransparencyVerifier
{
    private readonly string _registryId;
    private readonly NoteVerifierKey _pinned;
    private readonly Lock _gate = new();
    private NoteVerifierKey _logKey;
    private long _logKeySize;

    /// <summary>Creates a verifier for <paramref name="registryId"/> with its log key (a type 0x01 vkey named with the registry id).</summary>
    public TransparencyVerifier(string registryId, NoteVerifierKey logKey, TrustedCheckpoints? checkpoints = null)
        : this(registryId, logKey, null, checkpoints)
    {
    }

    /// <summary>
    /// Creates a verifier that also requires <paramref name="witnesses"/>: a checkpoint with fewer than its threshold of
    /// valid witness cosignatures is refused (<see cref="BundleRefusal.TooFewCosignatures"/>) and never trusted.
    /// </summary>
    public TransparencyVerifier(string registryId, NoteVerifierKey logKey, WitnessPolicy? witnesses, TrustedCheckpoints? checkpoints = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryId);
        ArgumentNullException.ThrowIfNull(logKey);
        if (logKey.Type != NoteVerifierKey.Ed25519Type || logKey.Name != registryId)
        {
            throw new ArgumentException($"The log key must be an Ed25519 (type 0x01) vkey named '{registryId}'.", nameof(logKey));
        }

        _registryId = registryId;
        _pinned = logKey;
        _logKey = logKey;
        Checkpoints = checkpoints ?? new TrustedCheckpoints();
        Witnesses = witnesses;
    }

    /// <summary>The log key checkpoints must be signed by: the pinned one, or the one a followed rotation put in force.</summary>
    public NoteVerifierKey LogKey
    {
        get
        {
            lock (_gate)
            {
                return _logKey;
            }
        }
    }

    /// <summary>The chain follower that lets this verifier accept a rotated log key (null: only the pinned key is accepted).</summary>
    /// <remarks>Its genesis must be this registry's.</remarks>
    public LogKeyFollower? Follower { get; init; }

    /// <summary>The witness policy, or null when cosignatures are not required.</summary>
    public WitnessPolicy? Witnesses { get; }

    /// <summary>The newest trusted checkpoint, advanced by every bundle that verifies.</summary>
    public TrustedCheckpoints Checkpoints { get; }

    /// <summary>Verifies the JSON of a bundle; never throws for bad input.</summary>
    public BundleVerification Verify(ReadOnlyMemory<byte> bundleJson)
    {
        ProofBundle bundle;
        try
        {
            bundle = ProofBundle.Parse(bundleJson);
        }
        catch (FormatException ex)
        {
            return BundleVerification.Fail(BundleRefusal.NotABundle, "not a proof bundle: " + ex.Message);
        }

        return Verify(bundle);
    }

    /// <summary>
    /// Verifies <paramref name="bundle"/>: the checkpoint's signature and freshness line by the log key and its origin; the record's
    /// inclusion in the checkpoint's tree as its last leaf (the head); the descriptor under the record's state root; and that the checkpoint
    /// extends the newest trusted one. On success the checkpoint becomes the newest trusted one.
    /// </summary>
    public BundleVerification Verify(ProofBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!SignedNote.TryParse(Encoding.UTF8.GetBytes(bundle.Checkpoint), out var note))
        {
            return BundleVerification.Fail(BundleRefusal.BadLogSignature, "the checkpoint is not a signed note");
        }

        var (logKey, refusal) = KeyFor(note);
        if (refusal is not null)
        {
            return refusal;
        }

        // The log's own timestamped line (type 0x04, same key): a known key's line must verify.
        if (!Cosignature.TryVerify(note, new NoteVerifierKey(logKey.Name, NoteVerifierKey.CosignatureV1Type, logKey.PublicKey), out var timestamp))
        {
            return BundleVerification.Fail(BundleRefusal.BadFreshness, "the checkpoint's freshness line (cosignature/v1 by the log key) is missing or does not verify");
        }

        if (!Checkpoint.TryParse(note.Text, out var checkpoint) || checkpoint.Origin != _registryId)
        {
            return BundleVerification.Fail(BundleRefusal.WrongOrigin, $"the checkpoint is not a checkpoint of '{_registryId}'");
        }

        // The bundle is of the checkpoint's head: an older record could prove a descriptor that has since changed.
        var record = bundle.Record;
        if (record.Version != checkpoint.Size - 1)
        {
            return BundleVerification.Fail(BundleRefusal.NotHead, $"the bundle's record is version {record.Version}, not the checkpoint's head {checkpoint.Size - 1}");
        }

        if (record.Version >= checkpoint.Size
            || !MerkleProof.VerifyInclusion(record.Version, checkpoint.Size, MerkleHash.Leaf(record.Hash), bundle.LogProof, checkpoint.Root))
        {
            return BundleVerification.Fail(BundleRefusal.NotIncluded, $"commit record {record.Version} ({record.Hash}) is not in the checkpoint's tree of {checkpoint.Size} leaves");
        }

        if (!bundle.StateProof.Verify(bundle.Descriptor, record.StateRoot))
        {
            return BundleVerification.Fail(BundleRefusal.NotInState, $"descriptor '{bundle.Descriptor.Id}' is not under the state root {record.StateRoot} of version {record.Version}");
        }

        // The witness policy before the trusted store: a checkpoint too few witnesses vouch for is never trusted.
        ImmutableArray<string> cosigners = [];
        if (Witnesses is { } policy)
        {
            cosigners = policy.CosignersOf(note);
            if (cosigners.Length < policy.Threshold)
            {
                var named = cosigners.IsEmpty ? "none" : string.Join(", ", cosigners);
                return BundleVerification.Fail(BundleRefusal.TooFewCosignatures,
                    $"too few witness cosignatures: {cosigners.Length} of the {policy.Witnesses.Length} witnesses cosigned the checkpoint of size {checkpoint.Size} ({named}), the policy needs {policy.Threshold}");
            }
        }

        if (Checkpoints.TryAccept(checkpoint, bundle.ConsistencyFrom, bundle.ConsistencyProof, out var reason) is { } refused)
        {
            return BundleVerification.Fail(reason, refused);
        }

        lock (_gate)
        {
            // Only the key of the largest checkpoint accepted so far: two verifications racing (an older checkpoint
            // under the old key, a newer one under the rotated key) must not leave the old key held.
            if (checkpoint.Size >= _logKeySize)
            {
                _logKey = logKey;
                _logKeySize = checkpoint.Size;
            }
        }

        return new BundleVerification(null, bundle.Descriptor, checkpoint, DateTimeOffset.FromUnixTimeSeconds(timestamp)) { Witnesses = cosigners };
    }

    /// <summary>
    /// The tree size whose last version a follower must have verified before a checkpoint signed by a key other than
    /// <see cref="LogKey"/> can be judged, or null when the note is signed by <see cref="LogKey"/> (or is no checkpoint).
    /// </summary>
    public long? SizeToFollow(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note.VerifiedBy(LogKey) || !Checkpoint.TryParse(note.Text, out var checkpoint) || checkpoint.Origin != _registryId || checkpoint.Size < 1
            ? null
            : checkpoint.Size;
    }

    // The key the note's signature is checked against, or the refusal: the held key; else, with a follower that verified
    // the chain through the checkpoint's last version, the key in force there, over a tree that is the followed chain's.
    private (NoteVerifierKey Key, BundleVerification? Refusal) KeyFor(SignedNote note)
    {
        var held = LogKey;
        var follower = Follower;
        Checkpoint? checkpoint = null;
        var followable = follower is not null && Checkpoint.TryParse(note.Text, out checkpoint) && checkpoint.Origin == _registryId && checkpoint.Size >= 1;
        if (note.VerifiedBy(held) && !(followable && follower!.Version >= checkpoint!.Size - 1))
        {
            // The held key, and no verified chain that reaches the checkpoint to say otherwise.
            return (held, null);
        }

        if (!followable)
        {
            return (held, BundleVerification.Fail(BundleRefusal.BadLogSignature, $"the checkpoint is not signed by the log key {held.Name}+{held.KeyId:x8}"));
        }

        // From here the follower's chain decides, even for a note signed by the held key: once the chain verified
        // through N - 1 puts another key in force, the held (replaced) key signs nothing of size N.
        var last = checkpoint!.Size - 1;
        if (follower!.Version < last)
        {
            return (held, BundleVerification.Fail(BundleRefusal.LogKeyNotFollowed,
                $"the checkpoint of size {checkpoint.Size} is not signed by the log key {held.Name}+{held.KeyId:x8}; follow the chain through version {last} to learn the key in force there (the chain is verified through {follower.Version})"));
        }

        var inForce = follower.KeyAt(last) ?? _pinned;
        if (follower.RootAt(checkpoint.Size) != checkpoint.Root)
        {
            return (held, BundleVerification.Fail(BundleRefusal.Inconsistent,
                $"the checkpoint of size {checkpoint.Size} has root {checkpoint.Root}, but the verified chain's first {checkpoint.Size} hashes have root {follower.RootAt(checkpoint.Size)}"));
        }

        return note.VerifiedBy(inForce)
            ? (inForce, null)
            : (held, BundleVerification.Fail(BundleRefusal.BadLogSignature,
                $"the checkpoint of size {checkpoint.Size} is not signed by {inForce.Name}+{inForce.KeyId:x8}, the log key the verified chain puts in force at version {last}"));
    }
}
