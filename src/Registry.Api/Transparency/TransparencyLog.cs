using System.Collections.Immutable;
using System.Text;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Transparency;

namespace Registry.Api.Transparency;

/// <summary>
/// The registry's transparency log (SPEC §10): an RFC 6962 tree whose leaf i is the 32-byte hash of commit record i,
/// advanced from every published state before readers see it (recovery builds it from the chain's hashes), and the
/// signed checkpoint of its current size.
/// </summary>
/// <remarks>
/// <see cref="Advance"/> runs where the state is published (the writer after each batch, recovery once): it appends a
/// leaf hash per new version, about two SHA-256 per commit, and never signs. Signing happens on demand
/// (<see cref="Checkpoint"/> notices a stale note) and in <see cref="CheckpointRefresher"/>, woken by each batch and on
/// the refresh interval. With witnesses (<c>tlog.witnesses</c>) a signing only makes a candidate: it is served (and
/// streamed) once <see cref="CheckpointWitnessing"/> has asked the witnesses and called <see cref="AddCosignatures"/>,
/// so the served checkpoint carries their cosignatures even while commits keep the tree growing; it lags the tree by
/// one witnessing round.
/// <para>The key (docs/PROTOCOL.md §12.14): a checkpoint of size N is signed by the log key in force at version N - 1,
/// the key the chain names there (<see cref="RegistryState.LogKey"/>: the last <c>set_log_key</c> commit's, else the
/// trust roots'), or the configured key when the chain names none. The log holds the configured signer and, staged for a
/// rotation, the next one (<c>trust.next_log_key_file</c>); <see cref="Advance"/> picks the one in force under the same
/// lock as the leaves it appends, so no checkpoint whose tree holds a rotation is signed by the key it replaced. A key in
/// force that the log does not hold stops signing (<see cref="MissingKey"/>).</para>
/// Thread-safe.
/// </remarks>
public sealed class TransparencyLog : IDisposable
{
    private readonly MerkleTree _tree = new();
    private readonly NoteSigner? _configured;
    private readonly NoteSigner? _next;
    private readonly Lock _head = new();
    private NoteSigner? _signer;
    private NoteVerifierKey? _inForce;
    private NoteVerifierKey? _missing;
    private readonly string _origin;
    private readonly TimeProvider _time;
    private readonly Lock _signing = new();
    private readonly SemaphoreSlim _grew = new(0);
    private SignedCheckpoint? _current;
    private SignedNote? _currentNote;
    private readonly bool _witnessed;

    // With witnesses: the newest signed note not served yet, its size, root and timestamp.
    private SignedCheckpoint? _candidate;
    private SignedNote? _candidateNote;
    private long _lastTimestamp;

    // Witness cosignatures of the checkpoint text _cosignedText: kept across re-signings of the same tree head.
    private string? _cosignedText;
    private ImmutableArray<NoteSignature> _cosignatures = [];
    private Digest _lastLeaf;
    private int _growthPending;

    /// <summary>
    /// Creates the log of <paramref name="origin"/>; without a signer it keeps the tree but signs nothing. With
    /// <paramref name="witnessed"/>, a signed checkpoint is served only after its witnessing round. <paramref name="next"/>
    /// is the staged key of a rotation, used once the chain puts it in force.
    /// </summary>
    public TransparencyLog(string origin, NoteSigner? signer, TimeProvider time, bool witnessed = false, NoteSigner? next = null)
    {
        _origin = origin;
        _configured = signer;
        _next = next;
        _signer = signer;
        _time = time;
        _witnessed = witnessed;
    }

    /// <summary>The serialized proof bundles of the served checkpoint.</summary>
    public ProofBundleCache Bundles { get; } = new();

    /// <summary>The tree (read it for tiles and proofs; only <see cref="Advance"/> appends).</summary>
    public MerkleTree Tree => _tree;

    /// <summary>The type 0x01 verifier key of the signer in force, or null when no key is configured (or the one in force is not held).</summary>
    public NoteVerifierKey? VerifierKey => Volatile.Read(ref _signer)?.VerifierKey;

    /// <summary>The type 0x04 key of the log's own timestamped freshness line, or null.</summary>
    public NoteVerifierKey? FreshnessKey => Volatile.Read(ref _signer)?.CosignatureKey;

    /// <summary>The configured key's vkey (<c>trust.log_key</c>), or null.</summary>
    public NoteVerifierKey? ConfiguredKey => _configured?.VerifierKey;

    /// <summary>The staged next key's vkey (<c>trust.next_log_key_file</c>), or null.</summary>
    public NoteVerifierKey? NextKey => _next?.VerifierKey;

    /// <summary>The key the chain puts in force that this log holds no private key for (signing has stopped), or null.</summary>
    public NoteVerifierKey? MissingKey => Volatile.Read(ref _missing);

    /// <summary>True when this log signs checkpoints (a key is configured).</summary>
    public bool Signs => _configured is not null;

    /// <summary>True when this log holds the private key of <paramref name="key"/> (configured or staged).</summary>
    public bool Holds(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SignerOf(key) is not null;
    }

    /// <summary>
    /// Checks, before the first state is published, that this log can sign under the key <paramref name="state"/>'s chain
    /// puts in force: the configured key or the staged next one. A log with no key configured signs nothing and is not
    /// checked.
    /// </summary>
    /// <exception cref="LogKeyMismatchException">The chain names a key this log holds neither half of.</exception>
    public void RequireKeyInForce(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_configured is null || state.LogKey is not { } inForce || SignerOf(inForce) is not null)
        {
            return;
        }

        throw new LogKeyMismatchException(inForce, _configured.VerifierKey, _next?.VerifierKey, state.Version);
    }

    private NoteSigner? SignerOf(NoteVerifierKey key)
    {
        var text = key.ToString();
        return _configured?.VerifierKey.ToString() == text ? _configured
            : _next?.VerifierKey.ToString() == text ? _next
            : null;
    }

    /// <summary>
    /// Appends the leaves of the versions <paramref name="state"/> holds beyond the tree, checking first that the tree's
    /// last leaf is still that state's hash at its version (a state from another chain is a bug, and throws).
    /// </summary>
    /// <exception cref="InvalidOperationException">The state does not extend the chain the tree was built from.</exception>
    public void Advance(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_head)
        {
            AdvanceCore(state);
        }
    }

    // Under _head: the leaves and the signer in force change together, as Sign reads them.
    private void AdvanceCore(RegistryState state)
    {
        if (_configured is not null && !ReferenceEquals(state.LogKey, _inForce))
        {
            _inForce = state.LogKey;
            var signer = state.LogKey is { } key ? SignerOf(key) : _configured;
            Volatile.Write(ref _missing, signer is null ? state.LogKey : null);
            Volatile.Write(ref _signer, signer);
        }

        var hashes = state.Hashes;
        var size = _tree.Size;
        if (hashes.Count < size || (size > 0 && MerkleHash.Leaf(hashes[size - 1]) != _lastLeaf))
        {
            throw new InvalidOperationException($"The published state (version {state.Version}) does not extend the transparency log's tree of {size} leaves.");
        }

        if (hashes.Count == size)
        {
            return;
        }

        // A fresh tree (recovery) reads the whole list in order; later batches add a few versions by index.
        var added = size == 0 ? hashes.All() : Enumerable.Range(0, (int)(hashes.Count - size)).Select(i => hashes[size + i]);
        foreach (var hash in added)
        {
            _lastLeaf = MerkleHash.Leaf(hash);
            _tree.AppendLeafHash(_lastLeaf);
        }

        // One wake-up stands for every batch until the refresher takes it (the leaves are in the tree before this).
        if (_configured is not null && Interlocked.Exchange(ref _growthPending, 1) == 0)
        {
            _grew.Release();
        }
    }

    /// <summary>
    /// The signed checkpoint of the tree's current size (signed now if the last one is older), or null when no key is
    /// configured or nothing has been published yet.
    /// </summary>
    public SignedCheckpoint? Checkpoint()
    {
        var current = Volatile.Read(ref _current);
        if (_witnessed)
        {
            // Served only once witnessed: the refresher signs, the witnessing round publishes.
            return current;
        }

        return current is not null && current.Size == _tree.Size ? current : Sign();
    }

    /// <summary>Signs the current tree head (or renews the freshness line of an unchanged one). Null without a key or a tree.</summary>
    public SignedCheckpoint? Sign()
    {
        if (_configured is null)
        {
            return null;
        }

        lock (_signing)
        {
            long size;
            Digest root;
            NoteSigner? signer;
            lock (_head)
            {
                (size, root) = _tree.Head();
                signer = _signer;
            }

            if (size == 0 || signer is null)
            {
                return null;
            }

            // Timestamps never go back, even if the clock does: a reader compares them.
            var now = Math.Max(_time.GetUtcNow().ToUnixTimeSeconds(), _lastTimestamp);
            _lastTimestamp = now;
            var text = new Registry.Core.Transparency.Checkpoint(_origin, size, root).ToText();
            var note = signer.SignNote(text).With(signer.Cosign(text, now));
            if (_cosignedText == text)
            {
                note = _cosignatures.Aggregate(note, (n, line) => n.With(line));
            }

            SignedCheckpoint signed;
            if (_witnessed)
            {
                signed = new SignedCheckpoint(size, root, now, Encoding.UTF8.GetBytes(note.ToString()));
                _candidate = signed;
                _candidateNote = note;
            }
            else
            {
                signed = Publish(size, root, now, note);
            }

            Signed?.Invoke(signed);
            return signed;
        }
    }

    /// <summary>
    /// The note to ask witnesses about: the newest signed one (with witnesses, the candidate not served yet), as a parsed
    /// note (log signature, freshness line, cosignatures kept for its text), or null.
    /// </summary>
    public SignedNote? CurrentNote()
    {
        lock (_signing)
        {
            return _witnessed ? _candidateNote ?? _currentNote : _currentNote;
        }
    }

    /// <summary>
    /// Adds witness cosignature lines (already verified by the caller against each witness's key) to the checkpoint of
    /// <paramref name="checkpointText"/>: with witnesses, the candidate of that text, which is then served (with no
    /// lines too: a round where every witness failed still publishes, log-signed only), unless a larger one is served
    /// already; without, the current checkpoint while its text is still that. The lines stay on every re-signing of
    /// the same tree head. Returns the checkpoint as now served, or null when the log has moved on (lines dropped).
    /// </summary>
    public SignedCheckpoint? AddCosignatures(string checkpointText, IReadOnlyCollection<NoteSignature> lines)
    {
        ArgumentNullException.ThrowIfNull(checkpointText);
        ArgumentNullException.ThrowIfNull(lines);
        lock (_signing)
        {
            var current = Volatile.Read(ref _current);
            var (basis, baseNote) = _witnessed && _candidateNote?.Text == checkpointText ? (_candidate, _candidateNote) : (current, _currentNote);
            if (basis is null || baseNote is null || baseNote.Text != checkpointText || (current is not null && basis.Size < current.Size))
            {
                return null;
            }

            if (_cosignedText != checkpointText)
            {
                _cosignedText = checkpointText;
                _cosignatures = [];
            }

            var note = baseNote;
            foreach (var line in lines)
            {
                _cosignatures = [.. _cosignatures.Where(s => s.Name != line.Name || s.KeyId != line.KeyId), line];
                note = note.With(line);
            }

            if (ReferenceEquals(baseNote, _candidateNote))
            {
                _candidate = null;
                _candidateNote = null;
            }

            return Publish(basis.Size, basis.Root, basis.Timestamp, note);
        }
    }

    // Under _signing.
    private SignedCheckpoint Publish(long size, Digest root, long timestamp, SignedNote note)
    {
        var signed = new SignedCheckpoint(size, root, timestamp, Encoding.UTF8.GetBytes(note.ToString()));
        _currentNote = note;
        Volatile.Write(ref _current, signed);
        return signed;
    }

    /// <summary>Raised after each signing, with the new checkpoint (on the signing thread; keep handlers short).</summary>
    public event Action<SignedCheckpoint>? Signed;

    /// <summary>Waits until the tree grows or <paramref name="timeout"/> passes on the log's clock; true when it grew.</summary>
    public async Task<bool> WaitForGrowthAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var grew = _grew.WaitAsync(wait.Token);
        var elapsed = Task.Delay(timeout, _time, wait.Token);
        await Task.WhenAny(grew, elapsed).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await wait.CancelAsync().ConfigureAwait(false);

        // Cleared before the caller signs, so a batch published from here on wakes it again. A wake-up lost to the
        // cancellation above costs nothing: the caller signs the whole tree now.
        Interlocked.Exchange(ref _growthPending, 0);
        return grew.IsCompletedSuccessfully;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _configured?.Dispose();
        _next?.Dispose();
        _grew.Dispose();
    }
}
