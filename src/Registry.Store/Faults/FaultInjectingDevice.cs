using FASTER.core;

namespace Registry.Store.Faults;

/// <summary>
/// A FASTER <see cref="IDevice"/> decorator that fails or delays writes as a <see cref="StorageFaultInjector"/>
/// says, and counts the writes still in flight so the log can wait for a failed device to go quiet before it
/// re-opens the files.
/// </summary>
/// <remarks>
/// A failed write is reported to FASTER exactly like a real one: the completion callback runs with a non-zero
/// errno (ENOSPC for a full disk, EIO otherwise) and nothing reaches the inner device. Reads pass straight through,
/// so durable data stays readable while writes fail; their errors are counted. Thread-safe.
/// </remarks>
internal sealed class FaultInjectingDevice : IDevice
{
    private readonly IDevice _inner;
    private readonly StorageFaultInjector _injector;
    private long _pendingWrites;
    private long _readErrors;

    public FaultInjectingDevice(IDevice inner, StorageFaultInjector injector)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(injector);
        _inner = inner;
        _injector = injector;
    }

    /// <summary>Reads that failed (the device reported an error), so a failed recovery can tell I/O from damage.</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    /// <summary>Writes issued to this device whose completion has not been reported yet.</summary>
    public long PendingWrites => Interlocked.Read(ref _pendingWrites);

    public uint SectorSize => _inner.SectorSize;

    public string FileName => _inner.FileName;

    public long Capacity => _inner.Capacity;

    public long SegmentSize => _inner.SegmentSize;

    public int StartSegment => _inner.StartSegment;

    public int EndSegment => _inner.EndSegment;

    public int ThrottleLimit
    {
        get => _inner.ThrottleLimit;
        set => _inner.ThrottleLimit = value;
    }

    /// <summary>Waits until no write is in flight, or <paramref name="timeout"/> passes; true when idle.</summary>
    public bool WaitForIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => PendingWrites == 0, timeout);

    public void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false) =>
        _inner.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);

    public bool TryComplete() => _inner.TryComplete();

    public bool Throttle() => _inner.Throttle();

    public void WriteAsync(nint sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
        Write(callback, context, done => _inner.WriteAsync(sourceAddress, segmentId, destinationAddress, numBytesToWrite, done, context));

    public void WriteAsync(nint alignedSourceAddress, ulong alignedDestinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
        Write(callback, context, done => _inner.WriteAsync(alignedSourceAddress, alignedDestinationAddress, numBytesToWrite, done, context));

    public void ReadAsync(int segmentId, ulong sourceAddress, nint destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context) =>
        _inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, CountingReadErrors(callback), context);

    public void ReadAsync(ulong alignedSourceAddress, nint alignedDestinationAddress, uint aligned_read_length, DeviceIOCompletionCallback callback, object context) =>
        _inner.ReadAsync(alignedSourceAddress, alignedDestinationAddress, aligned_read_length, CountingReadErrors(callback), context);

    private DeviceIOCompletionCallback CountingReadErrors(DeviceIOCompletionCallback callback) => (errorCode, numBytes, ctx) =>
    {
        if (errorCode != 0)
        {
            Interlocked.Increment(ref _readErrors);
        }

        callback(errorCode, numBytes, ctx);
    };

    public void TruncateUntilAddressAsync(long toAddress, AsyncCallback callback, IAsyncResult result) =>
        _inner.TruncateUntilAddressAsync(toAddress, callback, result);

    public void TruncateUntilAddress(long toAddress) => _inner.TruncateUntilAddress(toAddress);

    public void TruncateUntilSegmentAsync(int toSegment, AsyncCallback callback, IAsyncResult result) =>
        _inner.TruncateUntilSegmentAsync(toSegment, callback, result);

    public void TruncateUntilSegment(int toSegment) => _inner.TruncateUntilSegment(toSegment);

    public void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) =>
        _inner.RemoveSegmentAsync(segment, callback, result);

    public void RemoveSegment(int segment) => _inner.RemoveSegment(segment);

    public long GetFileSize(int segment) => _inner.GetFileSize(segment);

    public void Reset() => _inner.Reset();

    public void Dispose() => _inner.Dispose();

    private void Write(DeviceIOCompletionCallback callback, object context, Action<DeviceIOCompletionCallback> issue)
    {
        Interlocked.Increment(ref _pendingWrites);
        void Done(uint errorCode, uint numBytes, object ctx)
        {
            Interlocked.Decrement(ref _pendingWrites);
            callback(errorCode, numBytes, ctx);
        }

        var latency = _injector.WriteLatency;
        if (latency <= TimeSpan.Zero)
        {
            IssueOrFail(Done, context, issue);
            return;
        }

        // FASTER keeps the source page pinned until the callback runs, so issuing the write later is safe.
        _injector.CountDelay();
        _ = StorageFaultInjector.DelayAtLeastAsync(latency, CancellationToken.None).ContinueWith(
            _ => IssueOrFail(Done, context, issue),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void IssueOrFail(DeviceIOCompletionCallback done, object context, Action<DeviceIOCompletionCallback> issue)
    {
        if (_injector.WriteFailure is { } failure)
        {
            _injector.CountFailure();
            var code = StorageFaultInjector.ErrorCodeFor(failure);
            ThreadPool.UnsafeQueueUserWorkItem(_ => done(code, 0, context), null);
            return;
        }

        issue(done);
    }
}
