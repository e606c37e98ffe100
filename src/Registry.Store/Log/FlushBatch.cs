namespace Registry.Store.Log;

/// <summary>
/// The waiters that will share one flush. Waiters join the pending batch; the flusher swaps in a fresh one, flushes,
/// and completes (or fails) the batch it took. Not thread-safe on its own: guarded by the owning log's state lock.
/// </summary>
internal sealed class FlushBatch
{
    private readonly TaskCompletionSource<DurablePosition> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a waiter joined and the flusher has been signalled for this batch.</summary>
    public bool Signalled { get; set; }

    public Task<DurablePosition> Task => _done.Task;

    public void Complete(DurablePosition durable) => _done.TrySetResult(durable);

    public void Fail(Exception error) => _done.TrySetException(error);
}
