using FASTER.core;
using Registry.Store.IO;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <inheritdoc />
    public async ValueTask<DurablePosition> WaitForDurableAsync(LogPosition position, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            FlushBatch batch;
            var signal = false;
            lock (_stateLock)
            {
                var current = _instance?.Incarnation ?? _incarnation;
                if (position.Incarnation != 0 && position.Incarnation != current)
                {
                    // Written by an instance a fault has since retired: durable only if that instance flushed it.
                    return _incarnationEnds.TryGetValue(position.Incarnation, out var end) && position.Sequence < end
                        ? _durable
                        : throw new StorageWriteException(
                            StorageWriteFailure.IoError, $"Entry {position} was dropped by a write fault before it became durable.");
                }

                if (_durable.Covers(position))
                {
                    return _durable;
                }

                if (position.Sequence >= Volatile.Read(ref _written).Count)
                {
                    throw new ArgumentException($"No entry has been written at {position}.", nameof(position));
                }

                if (_disposed)
                {
                    throw new StorageWriteException(StorageWriteFailure.Closed, "The log is closed.");
                }

                batch = _pending;
                if (!batch.Signalled)
                {
                    batch.Signalled = signal = true;
                }
            }

            if (signal)
            {
                _flushSignal.Release();
            }

            // The batch's flush covers every entry written before the flusher took it, which includes this one;
            // the loop only guards the contract.
            var durable = await batch.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (durable.Covers(position))
            {
                return durable;
            }
        }
    }

    private async Task RunFlusherAsync()
    {
        while (true)
        {
            await _flushSignal.WaitAsync().ConfigureAwait(false);
            FlushBatch batch;
            bool stop;
            lock (_stateLock)
            {
                batch = _pending;
                _pending = new FlushBatch();
                stop = _disposed;
            }

            await FlushAsync(batch).ConfigureAwait(false);
            if (stop)
            {
                return;
            }
        }
    }

    private async Task FlushAsync(FlushBatch batch)
    {
        LogInstance? instance;
        WrittenMark target;
        long commitTail;
        long commitNum;
        lock (_appendLock)
        {
            instance = _instance;
            target = _written;
            if (instance is null)
            {
                batch.Fail(new StorageWriteException(StorageWriteFailure.Recovering, "The log is re-opening after a write fault."));
                return;
            }

            if (target.Address <= Durable.Address)
            {
                batch.Complete(Durable);
                return;
            }

            // Appends are held off for the instant it takes to start the commit, so the entry count stored with it
            // (the cookie) is exactly the count at its tail address.
            try
            {
                if (!instance.Log.CommitStrongly(out commitTail, out commitNum, spinWait: false, cookie: CommitCookie.Encode(target.Count, _options.PageSizeBits, _options.SegmentSizeBits)))
                {
                    throw new InvalidOperationException("FasterLog refused a strong commit with a cookie.");
                }
            }
            catch (FasterException ex)
            {
                Fault(instance, batch, ex);
                return;
            }
        }

        if (commitTail != target.Address)
        {
            // An invariant of FasterLog broke: what this commit makes durable is not known, so stop rather than guess.
            var broken = new InvalidOperationException($"FasterLog committed to {commitTail}, not the written tail {target.Address}.");
            Fault(instance, batch, broken);
            Halt(broken.Message, broken);
            return;
        }

        try
        {
            await instance.Log.WaitForCommitAsync(commitTail, commitNum).ConfigureAwait(false);
            if (_commits.TakeWriteFailure() is { } metadataFailure)
            {
                throw metadataFailure;
            }

            SyncNewSegmentDirectoryEntry(commitTail);
        }
        catch (Exception ex) when (ex is FasterException or IOException or ObjectDisposedException)
        {
            Fault(instance, batch, ex);
            return;
        }

        DurablePosition durable;
        lock (_stateLock)
        {
            _durable = durable = new DurablePosition(target.Address, target.Count);
        }

        Interlocked.Increment(ref _flushes);
        MarkWritable("storage: writable again (a flush succeeded)");
        batch.Complete(durable);
    }

    /// <summary>A new segment file's directory entry must be durable too, or a power cut could lose the whole file.</summary>
    private void SyncNewSegmentDirectoryEntry(long committedTail)
    {
        var segment = (committedTail - 1) >> _options.SegmentSizeBits;
        if (segment > _syncedSegment)
        {
            DurableFiles.FsyncDirectory(_options.Directory);
            _syncedSegment = segment;
        }
    }

    private StorageWriteException FaultFromAppend(LogInstance instance, Exception cause) =>
        Fault(instance, new FlushBatch(), cause);

    /// <summary>
    /// Drops everything not durable: fails the batch being flushed and the pending one, rewinds the written tail to the
    /// durable tail, and retires the FasterLog instance (FASTER keeps a failed commit's exception forever). The next
    /// append, or the background recovery started here (<see cref="StartHealing"/>), re-opens the log from its files.
    /// </summary>
    private StorageWriteException Fault(LogInstance instance, FlushBatch batch, Exception cause)
    {
        var failure = cause switch
        {
            CommitFailureException c => Faults.StorageFaultInjector.FailureFor(c.LinkedCommitInfo.CommitInfo.ErrorCode),
            IOException io when (io.HResult & 0xFFFF) == 28 => StorageWriteFailure.DiskFull,
            _ => StorageWriteFailure.IoError,
        };
        var error = new StorageWriteException(failure, $"Log write failed ({failure}); nothing after {Durable} is durable: {cause.Message}", cause);
        var retire = false;

        // Under the append lock too (it is re-entrant: append paths already hold it), so no append is inside the
        // instance being retired and none publishes a written mark after the rewind below.
        lock (_appendLock)
        lock (_stateLock)
        {
            if (ReferenceEquals(_instance, instance))
            {
                _instance = null;
                _lastRetired = instance;
                Volatile.Write(ref _written, new WrittenMark(_durable.Address, _durable.EntryCount));
                _incarnationEnds[instance.Incarnation] = _durable.EntryCount;
                _incarnation = checked(instance.Incarnation + 1);
                _faulted = true;
                _pending.Fail(error);
                _pending = new FlushBatch();
                Interlocked.Increment(ref _failedFlushes);
                retire = true;
            }
        }

        batch.Fail(error);
        if (retire)
        {
            _ = Task.Run(instance.Retire);
            Raise(new StorageWritabilityChangedEventArgs(writable: false, halted: false, "storage: not writable: " + error.Message));
            StartHealing();
        }

        return error;
    }
}
