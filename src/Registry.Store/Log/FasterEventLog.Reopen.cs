using FASTER.core;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <summary>
    /// Returns the open instance, or re-opens the log after a write fault. Called under the append lock.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The new instance recovers from the files as a start would: the commit records are read again from disk (a
    /// failed flush may have left a newer record there after all), FasterLog recovers to the newest one, and if that
    /// lies beyond the durable tail (the failed flush reached the disk although its waiters were told the entries were
    /// lost) the log is cut back to the durable tail. The result is then checked: the recovered address, the entry
    /// count in the commit cookie and the entries of the tail page (checksums, sequence) must match the durable tail.
    /// </para>
    /// <para>
    /// A failure to read or write the files is a write fault like any other (retried later); a re-opened log that
    /// disagrees with what was durable halts the log (<see cref="StorageWriteFailure.Halted"/>): only a restart's full
    /// recovery may settle that.
    /// </para>
    /// </remarks>
    private LogInstance EnsureOpen()
    {
        lock (_stateLock)
        {
            if (_disposed)
            {
                throw new StorageWriteException(StorageWriteFailure.Closed, "The log is closed.");
            }

            if (_haltReason is { } halted)
            {
                throw new StorageWriteException(StorageWriteFailure.Halted, "The log halted; restart the service to recover: " + halted);
            }

            if (_instance is { } open)
            {
                return open;
            }
        }

        if (_lastRetired is { } old && !old.WaitForQuiet())
        {
            throw new StorageWriteException(StorageWriteFailure.Recovering, "The log device still has writes in flight after a fault.");
        }

        var durable = Durable;
        LogInstance instance;
        try
        {
            var rejected = _commits.Reload();
            if (_commits.Latest is null && durable.EntryCount > 0)
            {
                throw Corrupt(durable.Address, "after a write fault no valid commit record is left in " + _commits.Path + ": " + string.Join("; ", rejected));
            }

            instance = CreateInstance(recover: _commits.Latest is not null);
            if (instance.Log.CommittedUntilAddress > durable.Address)
            {
                instance.Retire();
                var latest = _commits.Latest ?? throw new InvalidOperationException("A recovered log has no commit record.");
                WriteCutRecord(latest.CommitNum, instance.Log.BeginAddress, durable.Address, durable.EntryCount);
                instance = CreateInstance(recover: true);
            }

            VerifyReopened(instance, durable);
        }
        catch (CorruptStoreException ex)
        {
            throw Halt(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FasterException)
        {
            var kind = (ex.HResult & 0xFFFF) == 28 ? StorageWriteFailure.DiskFull : StorageWriteFailure.Recovering;
            throw new StorageWriteException(kind, $"Re-opening the log after a write fault failed: {Describe(ex)}", ex);
        }

        lock (_stateLock)
        {
            _instance = instance;
        }

        Interlocked.Increment(ref _reopens);
        return instance;
    }

    /// <summary>The checks of recovery, against the durable tail this process knows; retires the instance and throws on a mismatch.</summary>
    private void VerifyReopened(LogInstance instance, DurablePosition durable)
    {
        var log = instance.Log;
        string? mismatch = null;
        if (log.CommittedUntilAddress != durable.Address)
        {
            mismatch = $"the log re-opened at address {log.CommittedUntilAddress}, but its durable tail is {durable.Address}";
        }
        else if (durable.EntryCount > 0 && CommitCookie.Decode(log.RecoveredCookie, out var count, out _, out _) is var cause && (cause is not null || count != durable.EntryCount))
        {
            mismatch = cause is not null
                ? $"the re-opened log's commit cookie is unreadable: {cause}"
                : $"the re-opened log's commit counts {count} entries, but {durable.EntryCount} are durable";
        }
        else if (durable.Address > log.BeginAddress)
        {
            var run = ScanRun(instance, Math.Max(log.BeginAddress, ((durable.Address - 1) >> _options.PageSizeBits) << _options.PageSizeBits), durable.Address);
            if (run.Failure is not null || run.Count == 0 || run.LastSequence + 1 != durable.EntryCount || run.End != durable.Address)
            {
                mismatch = run.Failure is not null
                    ? $"the re-opened log's tail page is damaged at address {run.FailureAddress}: {run.Failure}"
                    : $"the re-opened log's tail page ends at entry {run.LastSequence} (address {run.End}), but {durable.EntryCount} entries to address {durable.Address} are durable";
            }
        }

        if (mismatch is not null)
        {
            instance.Retire();
            throw Corrupt(log.CommittedUntilAddress, "after a write fault " + mismatch);
        }
    }
}
