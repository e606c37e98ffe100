using System.Buffers;
using FASTER.core;
using Registry.Store.Faults;

namespace Registry.Store.Log;

/// <summary>
/// The durable <see cref="IEventLog"/>: a Microsoft.FASTER <c>FasterLog</c> on local files, with per-entry checksums,
/// group commit, a checksummed commit-record file of its own, verified recovery and self-healing after write faults.
/// </summary>
/// <remarks>
/// <para>
/// Durability: an entry is reported durable only after (1) FASTER has written its page range through
/// <see cref="SyncFileDevice"/>, whose segment files are opened <c>FileOptions.WriteThrough</c> (<c>O_SYNC</c> on Linux,
/// checked with strace), so a write returns only once the data is on stable storage, and (2) the commit record naming
/// the new tail has been written to <c>log.commit</c> and fdatasynced. FASTER reports a commit done only after the
/// flush of its range completes, and calls the commit manager before completing the commit task. The directory is
/// fsynced once per new segment file.
/// </para>
/// <para>
/// Group commit: waiters join the pending batch; one flusher loop takes the whole batch, commits the log up to the
/// written tail (one page write and one commit-record fsync), and completes every waiter in it.
/// </para>
/// <para>Thread-safe. See <see cref="IEventLog"/> for the fault contract.</para>
/// </remarks>
public sealed partial class FasterEventLog : IEventLog
{
    internal const string SegmentBaseName = "events.log";
    internal const string CommitFileName = "log.commit";

    private FasterEventLogOptions _options;
    private readonly StorageFaultInjector _faults;
    private readonly FileLogCommitManager _commits;
    private readonly Lock _appendLock = new();
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _flushSignal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private LogInstance? _instance;
    private LogInstance? _lastRetired;
    private WrittenMark _written;
    private DurablePosition _durable;
    private FlushBatch _pending = new();
    private readonly Dictionary<int, long> _incarnationEnds = [];
    private int _incarnation;
    private bool _faulted;
    private long _syncedSegment = -1;
    private long _recoveredBegin;
    private long _appends;
    private long _flushes;
    private long _failedFlushes;
    private long _reopens;
    private bool _disposed;
    private Task _flusher = Task.CompletedTask;
    private Task _healer = Task.CompletedTask;

    private FasterEventLog(FasterEventLogOptions options, StorageFaultInjector faults, FileLogCommitManager commits)
    {
        _options = options;
        _faults = faults;
        _commits = commits;
        _written = new WrittenMark(0, 0);
        Recovery = null!;
    }

    /// <summary>The directory holding the log.</summary>
    public string Directory => _options.Directory;

    /// <inheritdoc />
    public DurablePosition Durable
    {
        get
        {
            lock (_stateLock)
            {
                return _durable;
            }
        }
    }

    /// <inheritdoc />
    public LogPosition WrittenTail
    {
        get
        {
            var mark = Volatile.Read(ref _written);
            return new LogPosition(mark.Address, mark.Count) { Incarnation = Volatile.Read(ref _incarnation) };
        }
    }

    /// <inheritdoc />
    public EventLogStatistics Statistics => new(
        Interlocked.Read(ref _appends), Interlocked.Read(ref _flushes), Interlocked.Read(ref _failedFlushes), Interlocked.Read(ref _reopens));

    /// <inheritdoc />
    public int MaxPayloadSize => _options.MaxPayloadSize;

    /// <inheritdoc />
    public LogRecoveryReport Recovery { get; private set; }

    /// <summary>
    /// Whether a write fault stopped writes and neither a flush nor the background recovery has succeeded since (or
    /// the log halted): the write plane is not ready. The background recovery probes the directory every
    /// <see cref="FasterEventLogOptions.FaultRetryInterval"/> and clears this once the log re-opened; appends try too.
    /// </summary>
    public bool IsFaulted
    {
        get
        {
            lock (_stateLock)
            {
                return _faulted;
            }
        }
    }

    /// <inheritdoc />
    public LogPosition Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _options.MaxPayloadSize)
        {
            throw new ArgumentException($"Payload of {payload.Length} bytes exceeds the log's limit of {_options.MaxPayloadSize}.", nameof(payload));
        }

        if (_options.ReadOnly)
        {
            throw new InvalidOperationException("The log was opened read-only.");
        }

        var size = EntryFrame.HeaderSize + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            lock (_appendLock)
            {
                var instance = EnsureOpen();
                var mark = _written;
                EntryFrame.Write(buffer, mark.Count, payload);
                var address = Enqueue(instance, buffer.AsSpan(0, size));
                Volatile.Write(ref _written, new WrittenMark(instance.Log.TailAddress, checked(mark.Count + 1)));
                Interlocked.Increment(ref _appends);
                return new LogPosition(address, mark.Count) { Incarnation = instance.Incarnation };
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_appendLock)
        {
            lock (_stateLock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }
        }

        // The recovery loop (if a fault started one) stops; the flusher drains the batch that is pending, then stops.
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task healer;
        lock (_stateLock)
        {
            healer = _healer;
        }

        await healer.ConfigureAwait(false);
        _flushSignal.Release();
        if (!_options.ReadOnly)
        {
            await _flusher.ConfigureAwait(false);
        }
        LogInstance? instance;
        lock (_stateLock)
        {
            _pending.Fail(new StorageWriteException(StorageWriteFailure.Closed, "The log was closed before the entry became durable."));
            instance = _instance;
            _instance = null;
        }

        instance?.Retire();
        _commits.Dispose();
        _flushSignal.Dispose();
        _stopping.Dispose();
    }

    private long Enqueue(LogInstance instance, ReadOnlySpan<byte> frame)
    {
        var spin = new SpinWait();
        long started = 0;
        while (true)
        {
            bool enqueued;
            long address;
            try
            {
                enqueued = instance.Log.TryEnqueue(frame, out address);
            }
            catch (FasterException ex)
            {
                // FASTER rethrows the failure of an earlier commit on every enqueue ("canned" exception).
                throw FaultFromAppend(instance, ex);
            }

            if (enqueued)
            {
                return address;
            }

            // Log memory is full until the device drains pages; a failed device never does.
            started = started == 0 ? Environment.TickCount64 : started;
            if (Environment.TickCount64 - started > (long)_options.AppendStallTimeout.TotalMilliseconds)
            {
                throw FaultFromAppend(instance, new IOException($"The log device did not drain its buffer within {_options.AppendStallTimeout}."));
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The written tail as one atomically published value: address and entry count together.</summary>
    private sealed record WrittenMark(long Address, long Count);
}
