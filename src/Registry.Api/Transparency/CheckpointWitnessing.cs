using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.Streaming;
using Registry.Core.Transparency;

namespace Registry.Api.Transparency;

/// <summary>
/// After each signing of the checkpoint (off the commit path: the refresher signs, this only wakes), asks every
/// configured witness for its cosignature at once, each within <c>tlog.witness_timeout_ms</c>, serves the signed
/// checkpoint with the verified ones, then sends the stream's <c>event: checkpoint</c> frame with every cosignature
/// it has (without witnesses: the frame at once).
/// Signings that happen during a round are coalesced into the next one.
/// </summary>
internal sealed partial class CheckpointWitnessing : BackgroundService
{
    private readonly TransparencyLog _log;
    private readonly IReadOnlyList<WitnessClient> _witnesses;
    private readonly CommitFeed _feed;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signed = new(0);
    private int _pending;

    public CheckpointWitnessing(TransparencyLog log, IReadOnlyList<WitnessClient> witnesses, CommitFeed feed, ILogger logger)
    {
        _log = log;
        _witnesses = witnesses;
        _feed = feed;
        _logger = logger;
        _log.Signed += OnSigned;
    }

    public override void Dispose()
    {
        _log.Signed -= OnSigned;
        _signed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signed.WaitAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _pending, 0);
                await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failed round leaves the checkpoint as signed; the next signing tries again.
                LogRoundFailed(_logger, ex.Message);
            }
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        if (_witnesses.Count == 0)
        {
            if (_log.Checkpoint() is { } signed)
            {
                _feed.PublishCheckpoint(CheckpointFrame.From(signed));
            }

            return;
        }

        // The candidate is served once the witnesses answered (each within its timeout), with every line that verified.
        if (_log.CurrentNote() is not { } note || !Checkpoint.TryParse(note.Text, out var checkpoint))
        {
            return;
        }

        var lines = await Task.WhenAll(_witnesses.Select(w => w.CosignAsync(note, checkpoint, _log.Tree, stoppingToken))).ConfigureAwait(false);
        if (_log.AddCosignatures(note.Text, lines.OfType<NoteSignature>().ToList()) is { } served)
        {
            _feed.PublishCheckpoint(CheckpointFrame.From(served));
        }
    }

    private void OnSigned(SignedCheckpoint _)
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signed.Release();
        }
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "tlog: a witnessing round failed: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);
}
