// The log's side of C2SP tlog-witness (https://c2sp.org/tlog-witness): POST <prefix>/add-checkpoint with the old
// size this log believes the witness holds, the consistency proof from it, and the signed checkpoint. A 409 names the
// witness's size: the call is made again from there (once the proof can be built from this tree); a 409 at the size
// just sent means the witness holds another root for it, and is not retried. The cosignature lines of the answer
// are kept only when they verify by the witness's configured cosignature/v1 key.
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Api.Transparency;

/// <summary>One witness the log asks for cosignatures: its submission prefix, its key, and the size it last cosigned. Thread-safe for one caller at a time.</summary>
public sealed partial class WitnessClient
{
    private const int MaxAttempts = 3;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private long _knownSize;

    /// <summary>Creates the client of the witness at <paramref name="prefix"/> with cosignature key <paramref name="key"/>.</summary>
    public WitnessClient(Uri prefix, NoteVerifierKey key, HttpClient http, TimeSpan timeout, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(key);
        Prefix = prefix;
        Key = key;
        _http = http;
        _timeout = timeout;
        _logger = logger;
    }

    /// <summary>The submission prefix (<c>add-checkpoint</c> is appended).</summary>
    public Uri Prefix { get; }

    /// <summary>The witness's cosignature/v1 key.</summary>
    public NoteVerifierKey Key { get; }

    /// <summary>
    /// Asks the witness to cosign <paramref name="note"/> (a checkpoint of <paramref name="tree"/> at <paramref name="checkpoint"/>'s size):
    /// its verified cosignature line, or null when it refused, failed or did not answer within the timeout.
    /// </summary>
    public async Task<NoteSignature?> CosignAsync(SignedNote note, Checkpoint checkpoint, MerkleTree tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(tree);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var url = new Uri(Prefix.ToString().TrimEnd('/') + "/add-checkpoint");
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var old = Interlocked.Read(ref _knownSize);
                if (old > checkpoint.Size)
                {
                    LogAhead(_logger, Prefix, old, checkpoint.Size);
                    return null;
                }

                var proof = old == 0 || old == checkpoint.Size ? ImmutableArray<Digest>.Empty : tree.ConsistencyProof(old, checkpoint.Size);
                using var content = new ByteArrayContent(new AddCheckpointRequest(old, proof, note).ToBytes());
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
                using var response = await _http.PostAsync(url, content, deadline.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var line = Verified(note, body);
                    if (line is null)
                    {
                        LogUnverified(_logger, Prefix, Key.ToString());
                        return null;
                    }

                    Interlocked.Exchange(ref _knownSize, checkpoint.Size);
                    return line;
                }

                if (response.StatusCode == HttpStatusCode.Conflict
                    && long.TryParse(body.TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size != old)
                {
                    // The witness holds another size (it restarted with state, or this log did): start again from there.
                    Interlocked.Exchange(ref _knownSize, size);
                    continue;
                }

                LogRefused(_logger, Prefix, checkpoint.Size, (int)response.StatusCode, body.Length > 500 ? body[..500] : body);
                return null;
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(_logger, Prefix, checkpoint.Size, (long)_timeout.TotalMilliseconds);
            return null;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(_logger, Prefix, ex.Message);
            return null;
        }
    }

    // The line of this witness's key in an answer, when every such line verifies over the checkpoint text.
    private NoteSignature? Verified(SignedNote note, string body)
    {
        if (!SignedNote.TryParse(Encoding.UTF8.GetBytes(note.Text + "\n" + body), out var answered)
            || !Cosignature.TryVerify(answered, Key, out _))
        {
            return null;
        }

        return answered.Signatures.LastOrDefault(Key.Names);
    }

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "tlog: witness {Witness} refused the checkpoint of size {Size}: HTTP {Status} {Body}")]
    private static partial void LogRefused(ILogger logger, Uri witness, long size, int status, string body);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "tlog: witness {Witness} did not answer for size {Size} within {TimeoutMs} ms")]
    private static partial void LogTimedOut(ILogger logger, Uri witness, long size, long timeoutMs);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "tlog: witness {Witness} is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Uri witness, string reason);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Error, Message = "tlog: witness {Witness} answered with no cosignature that verifies by {Key}")]
    private static partial void LogUnverified(ILogger logger, Uri witness, string key);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Error, Message = "tlog: witness {Witness} holds size {WitnessSize}, more than this log's {Size}: this log is behind what it once showed the witness")]
    private static partial void LogAhead(ILogger logger, Uri witness, long witnessSize, long size);
}
