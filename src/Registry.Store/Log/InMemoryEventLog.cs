using Registry.Store.Faults;

namespace Registry.Store.Log;

/// <summary>
/// The <see cref="IEventLog"/> of amnesia mode: entries live in process memory only, no file is created anywhere,
/// and an entry is durable (for as long as the process lives) as soon as it is written.
/// </summary>
/// <remarks>
/// Addresses are byte offsets of a virtual log in which each entry takes its payload plus a 12-byte frame, starting
/// at 0; the in-memory log cannot fault. Of the injected faults (<see cref="StorageFaultInjector"/>, the chaos drill's
/// <c>storage-latency</c>) it honours the write latency only: a durability wait takes that much longer. Thread-safe.
/// </remarks>
public sealed class InMemoryEventLog : IEventLog
{
    private readonly StorageFaultInjector? _faults;
    private readonly Lock _lock = new();
    private readonly List<(long Address, byte[] Payload)> _entries = [];
    private long _tailAddress;
    private long _flushes;
    private bool _disposed;

    /// <summary>Creates an empty log.</summary>
    /// <param name="faults">Injected write latency to honour (null for none).</param>
    public InMemoryEventLog(StorageFaultInjector? faults = null)
    {
        _faults = faults;
    }

    /// <inheritdoc />
    public DurablePosition Durable
    {
        get
        {
            lock (_lock)
            {
                return new DurablePosition(_tailAddress, _entries.Count);
            }
        }
    }

    /// <inheritdoc />
    public LogPosition WrittenTail
    {
        get
        {
            lock (_lock)
            {
                return new LogPosition(_tailAddress, _entries.Count);
            }
        }
    }

    /// <inheritdoc />
    public EventLogStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new EventLogStatistics(_entries.Count, Interlocked.Read(ref _flushes), 0, 0);
            }
        }
    }

    /// <inheritdoc />
    public int MaxPayloadSize => Array.MaxLength - EntryFrame.HeaderSize;

    /// <inheritdoc />
    public LogRecoveryReport Recovery { get; } = new() { Tail = new DurablePosition(0, 0), Existed = false };

    /// <inheritdoc />
    public LogPosition Append(ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                throw new StorageWriteException(StorageWriteFailure.Closed, "The log is closed.");
            }

            var position = new LogPosition(_tailAddress, _entries.Count);
            _entries.Add((_tailAddress, payload.ToArray()));
            _tailAddress = checked(_tailAddress + EntryFrame.HeaderSize + payload.Length);
            return position;
        }
    }

    /// <inheritdoc />
    public ValueTask<DurablePosition> WaitForDurableAsync(LogPosition position, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var durable = Durable;
        if (!durable.Covers(position))
        {
            throw new ArgumentException($"No entry has been written at {position}.", nameof(position));
        }

        Interlocked.Increment(ref _flushes);
        return _faults?.WriteLatency is { } latency && latency > TimeSpan.Zero ? DelayedAsync(durable, latency, cancellationToken) : ValueTask.FromResult(durable);
    }

    private async ValueTask<DurablePosition> DelayedAsync(DurablePosition durable, TimeSpan latency, CancellationToken cancellationToken)
    {
        _faults!.CountDelay();
        await StorageFaultInjector.DelayAtLeastAsync(latency, cancellationToken).ConfigureAwait(false);
        return durable;
    }

    /// <inheritdoc />
    public IEnumerable<LogEntry> Read(LogPosition from)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from.Sequence);
        (long Address, byte[] Payload)[] snapshot;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (from.Sequence > _entries.Count || (from.Sequence < _entries.Count && from.Address != 0 && _entries[(int)from.Sequence].Address != from.Address))
            {
                throw new CorruptStoreException("memory:", from.Address, $"no entry with sequence {from.Sequence} starts at address {from.Address}");
            }

            snapshot = _entries.Skip((int)from.Sequence).ToArray();
        }

        return snapshot.Select((e, i) => new LogEntry(new LogPosition(e.Address, from.Sequence + i), e.Payload));
    }

    /// <inheritdoc />
    public (string File, long Offset) Locate(LogPosition position) => ("memory:events", position.Address);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        return ValueTask.CompletedTask;
    }
}
