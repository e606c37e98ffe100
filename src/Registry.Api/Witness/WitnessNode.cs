using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Registry.Core.Transparency;

namespace Registry.Api.Witness;

/// <summary>
/// This node as a C2SP tlog-witness (SPEC §10): for each configured log (by origin) it keeps the latest checkpoint it
/// cosigned, and cosigns a new one only when <see cref="WitnessCheck"/> passes, after the new state is durable.
/// </summary>
/// <remarks>
/// Check and persist run under one lock per origin, so two requests cannot both pass against the same stored size and
/// then roll each other back (the race the spec describes). Cosignatures are timestamped with the node's clock, never
/// going back. Thread-safe.
/// </remarks>
public sealed partial class WitnessNode : IDisposable
{
    private readonly NoteSigner _signer;
    private readonly FrozenDictionary<string, NoteVerifierKey> _logs;
    private readonly FrozenDictionary<string, SemaphoreSlim> _locks;
    private readonly WitnessStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastTimestamp;

    /// <summary>Creates the witness with its signing key, the logs it witnesses and its state.</summary>
    public WitnessNode(NoteSigner signer, IReadOnlyCollection<NoteVerifierKey> logs, WitnessStateStore store, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(logs);
        _signer = signer;
        _logs = logs.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);
        _locks = logs.ToFrozenDictionary(k => k.Name, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>The witness's cosignature/v1 verifier key (type 0x04): what logs and clients are given.</summary>
    public NoteVerifierKey CosignatureKey => _signer.CosignatureKey;

    /// <summary>Checks <paramref name="request"/>, and when it passes persists the checkpoint and returns this witness's cosignature over it.</summary>
    /// <exception cref="IOException">The new state could not be made durable (nothing is cosigned).</exception>
    public async Task<WitnessReply> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The origin decides the lock; an unknown or unparseable one is answered without any.
        var first = WitnessCheck.Check(request, LogKeyOf, _store.Latest);
        if (first.Checkpoint is not { } parsed || !_locks.TryGetValue(parsed.Origin, out var gate))
        {
            return new WitnessReply(first, null);
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var verdict = WitnessCheck.Check(request, LogKeyOf, _store.Latest);
            if (verdict.Outcome != WitnessOutcome.Cosign)
            {
                if (verdict.Outcome is WitnessOutcome.Conflict or WitnessOutcome.InconsistentProof)
                {
                    // Signed by the log, refused: possible evidence of a fork, worth an operator's look.
                    LogRefused(_logger, parsed.Origin, parsed.Size, verdict.Reason);
                }

                return new WitnessReply(verdict, null);
            }

            _store.Save(verdict.Checkpoint!, request.Note);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var timestamp = Math.Max(now, Interlocked.Read(ref _lastTimestamp));
            Interlocked.Exchange(ref _lastTimestamp, timestamp);
            return new WitnessReply(verdict, _signer.Cosign(request.Note.Text, timestamp));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _signer.Dispose();
        foreach (var gate in _locks.Values)
        {
            gate.Dispose();
        }
    }

    private NoteVerifierKey? LogKeyOf(string origin) => _logs.TryGetValue(origin, out var key) ? key : null;

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "witness: refused to cosign a signed checkpoint of {Origin} at size {Size}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string origin, long size, string reason);
}
