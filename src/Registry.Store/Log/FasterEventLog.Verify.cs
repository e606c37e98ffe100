using FASTER.core;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <summary>
    /// Reads back the committed tail and decides what its end looks like: intact; torn (damaged, with nothing valid
    /// after the damage: cut at the last valid entry); or corrupt inside (valid entries follow the damage: throw).
    /// </summary>
    /// <remarks>
    /// Starts at the page holding the last committed byte (entries never span pages, so a page start is an entry
    /// start) and walks back a page at a time while a page holds no valid entry, so a file truncated by whole pages
    /// is cut at the last entry that survived.
    /// </remarks>
    private async Task<(long Tail, long Count, TornTail? Torn, CorruptStoreException? InsideDamage)> VerifyTailAsync(
        LogInstance instance, long until, long committedCount, CancellationToken cancellationToken)
    {
        var begin = instance.Log.BeginAddress;
        if (until <= begin)
        {
            return committedCount == 0
                ? (begin, 0, null, null)
                : throw Corrupt(begin, $"the commit record counts {committedCount} entries but the log is empty");
        }

        var firstPage = begin >> _options.PageSizeBits;
        for (var page = (until - 1) >> _options.PageSizeBits; page >= firstPage; page--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = ScanRun(instance, Math.Max(begin, page << _options.PageSizeBits), until);
            if (run.Count == 0)
            {
                continue;
            }

            if (run.Failure is null)
            {
                return run.LastSequence + 1 == committedCount
                    ? (until, committedCount, null, null)
                    : throw Corrupt(run.End, $"the log's last entry has sequence {run.LastSequence}, but its commit record counts {committedCount} entries");
            }

            var valid = await FindValidAfterAsync(instance, run, until, cancellationToken).ConfigureAwait(false);
            if (valid is { } v)
            {
                var inside = Corrupt(run.FailureAddress,
                    $"log entry at address {run.FailureAddress}: {run.Failure}; a valid entry (sequence {v.Sequence}) follows at address {v.Address}, so the damage is inside the log, not a torn tail");
                return _options.ReadPrefixBeforeDamage
                    ? (run.End, run.LastSequence + 1, null, inside)
                    : throw inside;
            }

            var count = run.LastSequence + 1;
            if (count > committedCount)
            {
                throw Corrupt(run.End, $"the log holds entry {run.LastSequence} beyond the {committedCount} its commit record counts");
            }

            return (run.End, count, new TornTail(SegmentPath(run.End), run.End, until, committedCount - count, run.Failure), null);
        }

        throw Corrupt(begin, $"no valid entry in the committed log [{begin}, {until}), which its commit record says holds {committedCount} entries");
    }

    /// <summary>Reads consecutive valid entries from <paramref name="start"/>, stopping at the first damaged one.</summary>
    private static ScanRunResult ScanRun(LogInstance instance, long start, long until)
    {
        var run = new ScanRunResult(start);
        using var iterator = instance.Log.Scan(start, until, name: null, recover: false);
        while (true)
        {
            byte[] entry;
            int length;
            long address;
            long next;
            try
            {
                if (!iterator.GetNext(out entry, out length, out address, out next))
                {
                    return run;
                }
            }
            catch (FasterException ex)
            {
                run.Fail(run.End, $"FasterLog rejected the entry ({ex.Message})", nextHint: 0);
                return run;
            }

            if (EntryFrame.Check(entry.AsSpan(0, length), out var sequence) is { } cause)
            {
                run.Fail(address, cause, next);
                return run;
            }

            if (run.Count > 0 && sequence != run.LastSequence + 1)
            {
                run.Fail(address, $"sequence {sequence} follows sequence {run.LastSequence}", next);
                return run;
            }

            run.Add(sequence, next);
        }
    }

    /// <summary>Looks for any valid entry after a damaged one: at the damaged entry's end, and at every later page start.</summary>
    private async Task<(long Address, long Sequence)?> FindValidAfterAsync(
        LogInstance instance, ScanRunResult run, long until, CancellationToken cancellationToken)
    {
        var pageSize = 1L << _options.PageSizeBits;
        var candidates = new SortedSet<long>();
        if (run.FailureNextHint > run.FailureAddress)
        {
            candidates.Add(run.FailureNextHint);
        }

        // FASTER threw before giving a length: read the damaged entry's length field directly, at the failure and at
        // the next page start (the failure may sit in the zero padding that ends a page).
        var nextPage = (run.FailureAddress | (pageSize - 1)) + 1;
        foreach (var at in new[] { run.FailureAddress, nextPage })
        {
            if (at >= until)
            {
                continue;
            }

            var length = await instance.Log.ReadRecordLengthAsync(at, cancellationToken).ConfigureAwait(false);
            var end = (at & (pageSize - 1)) + instance.Log.HeaderSize + ((length + 3L) & ~3L);
            if (length > 0 && end <= pageSize)
            {
                candidates.Add(at + instance.Log.HeaderSize + ((length + 3L) & ~3L));
            }
        }

        for (var page = nextPage; page < until; page += pageSize)
        {
            candidates.Add(page);
        }

        foreach (var candidate in candidates.Where(c => c < until))
        {
            if (Probe(instance, candidate, until) is { } sequence && (run.Count == 0 || sequence > run.LastSequence))
            {
                return (candidate, sequence);
            }
        }

        return null;
    }

    /// <summary>The sequence number of a valid entry at <paramref name="address"/>, or null when there is none.</summary>
    private static long? Probe(LogInstance instance, long address, long until)
    {
        try
        {
            using var iterator = instance.Log.Scan(address, until, name: null, recover: false);
            return iterator.GetNext(out var entry, out var length, out var at, out _)
                && at == address && EntryFrame.Check(entry.AsSpan(0, length), out var sequence) is null
                ? sequence
                : null;
        }
        catch (Exception ex) when (ex is FasterException or IOException or ArgumentException or InvalidOperationException)
        {
            // Garbage at a guessed address is expected here: it simply is not a valid entry.
            return null;
        }
    }
}
