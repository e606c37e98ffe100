using FASTER.core;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <summary>
    /// Returns the open instance, or re-opens the log after a write fault. Called under the append lock.
    /// </summary>
    /// <remarks>
    /// The new instance recovers from the files, which end at the durable tail: the failed flush's commit record was
    /// never written. Should a failed flush have reached the disk after all (its error came after the write), the
    /// log is cut back to the durable tail, because its waiters were told the entries were lost.
    /// </remarks>
    private LogInstance EnsureOpen()
    {
        lock (_stateLock)
        {
            if (_disposed)
            {
                throw new StorageWriteException(StorageWriteFailure.Closed, "The log is closed.");
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
            instance = CreateInstance(recover: true);
            if (instance.Log.CommittedUntilAddress > durable.Address)
            {
                instance.Retire();
                var latest = _commits.Latest ?? throw new InvalidOperationException("A recovered log has no commit record.");
                WriteCutRecord(latest.CommitNum, instance.Log.BeginAddress, durable.Address, durable.EntryCount);
                instance = CreateInstance(recover: true);
            }
        }
        catch (Exception ex) when (ex is IOException or FasterException)
        {
            throw new StorageWriteException(StorageWriteFailure.Recovering, $"Re-opening the log after a write fault failed: {ex.Message}", ex);
        }

        if (instance.Log.CommittedUntilAddress != durable.Address)
        {
            instance.Retire();
            throw Corrupt(instance.Log.CommittedUntilAddress,
                $"after a write fault the log re-opened at address {instance.Log.CommittedUntilAddress}, but its durable tail is {durable.Address}");
        }

        lock (_stateLock)
        {
            _instance = instance;
        }

        Interlocked.Increment(ref _reopens);
        return instance;
    }
}
