using FASTER.core;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <inheritdoc />
    public IEnumerable<LogEntry> Read(LogPosition from)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from.Address);
        ArgumentOutOfRangeException.ThrowIfNegative(from.Sequence);
        LogInstance instance;
        DurablePosition durable;
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Reads keep working after a write fault: re-opening only reads the files.
            instance = EnsureOpen();
            if (!instance.TryAcquire())
            {
                throw new StorageWriteException(StorageWriteFailure.Recovering, "The log is re-opening after a write fault.");
            }

            durable = Durable;
        }

        return ReadCore(instance, from, durable);
    }

    private IEnumerable<LogEntry> ReadCore(LogInstance instance, LogPosition from, DurablePosition durable)
    {
        try
        {
            var start = from.Address == 0 ? instance.Log.BeginAddress : from.Address;
            var expected = from.Sequence;
            var next = start;
            if (start < durable.Address)
            {
                using var iterator = instance.Log.Scan(start, durable.Address, name: null, recover: false);
                while (true)
                {
                    var item = ReadNext(iterator, next);
                    if (item is null)
                    {
                        break;
                    }

                    var (frame, address, nextAddress) = item.Value;
                    if (EntryFrame.Check(frame, out var sequence) is { } cause)
                    {
                        throw Corrupt(address, $"log entry at address {address}: {cause}");
                    }

                    if (sequence != expected)
                    {
                        throw Corrupt(address, $"log entry at address {address} has sequence {sequence}, expected {expected}");
                    }

                    expected++;
                    next = nextAddress;
                    yield return new LogEntry(
                        new LogPosition(address, sequence) { Incarnation = instance.Incarnation },
                        frame.AsMemory(EntryFrame.HeaderSize));
                }
            }

            if (expected != durable.EntryCount || (start < durable.Address && next != durable.Address))
            {
                throw Corrupt(next,
                    $"the log ends at address {next} after entry {expected - 1}, but its commit record says it ends at {durable.Address} after entry {durable.EntryCount - 1}");
            }
        }
        finally
        {
            instance.Release();
        }
    }

    /// <summary>The next entry from a FASTER scan, or null at the end; FASTER's own failures become corruption.</summary>
    private (byte[] Frame, long Address, long NextAddress)? ReadNext(FasterLogScanIterator iterator, long expectedAddress)
    {
        try
        {
            return iterator.GetNext(out var entry, out var length, out var address, out var nextAddress)
                ? (entry.Length == length ? entry : entry[..length], address, nextAddress)
                : null;
        }
        catch (FasterException ex)
        {
            throw Corrupt(expectedAddress, $"log entry after address {expectedAddress} is unreadable: {ex.Message}", ex);
        }
    }

    private CorruptStoreException Corrupt(long address, string cause, Exception? inner = null) =>
        new(SegmentPath(address), FileOffset(address), cause, inner);
}
