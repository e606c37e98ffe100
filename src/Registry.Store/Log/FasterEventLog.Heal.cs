namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    internal const string ProbeFileName = "write-probe.tmp";

    private bool _healing;
    private string? _haltReason;
    private byte[]? _probeBytes;

    /// <summary>
    /// Raised when the log stops accepting writes (a write fault), when a recovery attempt fails for a new reason,
    /// when writes resume, and when the log halts. Raised on the thread that saw the change; handlers must be quick
    /// and must not throw.
    /// </summary>
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged;

    /// <summary>Why the log halted (it takes no write until re-opened by a new process), or null.</summary>
    public string? HaltReason
    {
        get
        {
            lock (_stateLock)
            {
                return _haltReason;
            }
        }
    }

    /// <summary>
    /// Starts the background recovery after a fault, unless it is already running: every
    /// <see cref="FasterEventLogOptions.FaultRetryInterval"/> it probes the log directory with a synchronous write
    /// of one page, and when that succeeds re-opens the log from its files (verified against the durable tail) and
    /// declares it writable again. So writes resume by themselves once the fault clears, even when the write plane
    /// refuses every write while the log is faulted and no append comes to re-open it.
    /// </summary>
    private void StartHealing()
    {
        lock (_stateLock)
        {
            if (_healing || _disposed || _haltReason is not null || _options.ReadOnly)
            {
                return;
            }

            _healing = true;
            _healer = Task.Run(HealAsync, CancellationToken.None);
        }
    }

    private async Task HealAsync()
    {
        string? lastReason = null;
        while (true)
        {
            try
            {
                await Task.Delay(_options.FaultRetryInterval, _options.Time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposed: nothing left to heal.
                return;
            }

            lock (_stateLock)
            {
                if (_disposed || !_faulted || _haltReason is not null)
                {
                    // Healed by an append meanwhile, closed, or halted.
                    _healing = false;
                    return;
                }
            }

            try
            {
                ProbeWritable();
                lock (_appendLock)
                {
                    EnsureOpen();
                }

                MarkWritable("storage: writable again (probe write and verified re-open of the log succeeded)");
                lock (_stateLock)
                {
                    if (!_faulted)
                    {
                        _healing = false;
                        return;
                    }
                }
            }
            catch (StorageWriteException ex) when (ex.Failure is StorageWriteFailure.DiskFull or StorageWriteFailure.IoError or StorageWriteFailure.Recovering)
            {
                // Still failing: keep the write plane not ready, and say so once per distinct reason.
                if (ex.Message != lastReason)
                {
                    lastReason = ex.Message;
                    Raise(new StorageWritabilityChangedEventArgs(writable: false, halted: false, "storage: still not writable: " + ex.Message));
                }
            }
            catch (StorageWriteException ex) when (ex.Failure is StorageWriteFailure.Halted or StorageWriteFailure.Closed)
            {
                // EnsureOpen halted the log (and raised the event) or it was closed under the probe.
                lock (_stateLock)
                {
                    _healing = false;
                }

                return;
            }
        }
    }

    /// <summary>
    /// One synchronous, write-through write of a log page to a fresh file in the log directory, then removes it: the
    /// space and the permissions a flush needs. Consults the fault injector like every other write.
    /// </summary>
    private void ProbeWritable()
    {
        var path = Path.Combine(_options.Directory, ProbeFileName);
        Exception? failure = null;
        try
        {
            _faults.BeforeSynchronousWrite();
            _probeBytes ??= new byte[1 << _options.PageSizeBits];
            using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.WriteThrough);
            RandomAccess.Write(handle, _probeBytes, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = ex;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure ??= ex;
        }

        if (failure is not null)
        {
            var kind = (failure.HResult & 0xFFFF) == 28 ? StorageWriteFailure.DiskFull : StorageWriteFailure.IoError;
            throw new StorageWriteException(kind, $"a probe write to {path} failed ({kind}): {Describe(failure)}", failure);
        }
    }

    /// <summary>Clears the fault after a successful flush or recovery; raises the event when it was set.</summary>
    private void MarkWritable(string reason)
    {
        lock (_stateLock)
        {
            if (!_faulted || _haltReason is not null || _instance is null)
            {
                return;
            }

            _faulted = false;
        }

        Raise(new StorageWritabilityChangedEventArgs(writable: true, halted: false, reason));
    }

    /// <summary>
    /// Stops the log for good: something is inconsistent that only a restart's full recovery may settle. Every append
    /// from now on throws <see cref="StorageWriteFailure.Halted"/>; reads of the durable prefix continue.
    /// </summary>
    private StorageWriteException Halt(string reason, Exception? cause)
    {
        bool first;
        lock (_stateLock)
        {
            first = _haltReason is null;
            _haltReason ??= reason;
            _faulted = true;
        }

        if (first)
        {
            Raise(new StorageWritabilityChangedEventArgs(writable: false, halted: true, "storage: halted, writes stop until a restart: " + reason));
        }

        return new StorageWriteException(StorageWriteFailure.Halted, "The log halted; restart the service to recover: " + reason, cause);
    }

    private void Raise(StorageWritabilityChangedEventArgs change) => WritabilityChanged?.Invoke(this, change);

    /// <summary>The message with the innermost cause (e.g. "Operation not permitted" behind "Access ... is denied").</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) || ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
