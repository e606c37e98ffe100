using FASTER.core;
using Microsoft.Win32.SafeHandles;
using Registry.Store.Faults;
using Registry.Store.IO;

namespace Registry.Store.Log;

/// <summary>
/// FasterLog's commit-metadata store: two checksummed slots in one preallocated file (<see cref="CommitRecordFormat"/>),
/// each commit written with <c>pwrite</c> and made durable with <c>fdatasync</c> before FASTER reports the commit done.
/// </summary>
/// <remarks>
/// <para>
/// Replaces FASTER's <c>DeviceLogCommitCheckpointManager</c>, which creates a new file per commit and deletes the
/// previous one without syncing the directory, so a power cut could lose both; and whose reader skips unreadable
/// commits silently, so FasterLog would open an empty log. Here the file exists once (directory synced at creation),
/// damage is reported, and a write failure is recorded instead of thrown: FASTER calls <see cref="Commit"/> on its
/// commit worker, where an exception would leave the commit task pending forever. The log checks
/// <see cref="TakeWriteFailure"/> after every commit.
/// </para>
/// <para>Thread-safe: FASTER calls it from one commit worker at a time, and every member takes a lock.</para>
/// </remarks>
internal sealed class FileLogCommitManager : ILogCommitManager
{
    private readonly Lock _lock = new();
    private readonly SafeFileHandle _handle;
    private readonly StorageFaultInjector _injector;
    private readonly CommitSlotRecord?[] _slots = new CommitSlotRecord?[CommitRecordFormat.SlotCount];
    private IOException? _writeFailure;
    private bool _disposed;

    private FileLogCommitManager(string path, SafeFileHandle handle, StorageFaultInjector injector, IReadOnlyList<string> rejected)
    {
        Path = path;
        _handle = handle;
        _injector = injector;
        Rejected = rejected;
    }

    /// <summary>The commit-record file.</summary>
    public string Path { get; }

    /// <summary>Why slots were rejected when the file was opened (empty slots are not listed).</summary>
    public IReadOnlyList<string> Rejected { get; }

    /// <summary>The newest valid record, or null when none was ever written.</summary>
    public CommitSlotRecord? Latest
    {
        get
        {
            lock (_lock)
            {
                return LatestCore(out _);
            }
        }
    }

    /// <summary>Opens the file, creating it (durably) when <paramref name="create"/> is set and it does not exist.</summary>
    public static FileLogCommitManager Open(string path, StorageFaultInjector injector, bool create, bool readOnly = false)
    {
        var exists = File.Exists(path);
        if (!exists && !create)
        {
            throw new FileNotFoundException("The log's commit-record file is missing.", path);
        }

        var handle = readOnly
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
            : File.OpenHandle(path, exists ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (!exists)
            {
                RandomAccess.Write(handle, new byte[CommitRecordFormat.FileSize], 0);
                RandomAccess.FlushToDisk(handle);
                DurableFiles.FsyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            }

            var rejected = new List<string>();
            var manager = new FileLogCommitManager(path, handle, injector, rejected);
            manager.ReadSlots(rejected);
            return manager;
        }
        catch (Exception)
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads both slots from the file again, replacing what this process believed: after a failed write the file is
    /// the truth (a record whose fdatasync failed may be there after all, or a slot may be torn).
    /// </summary>
    /// <returns>Why slots were rejected this time (empty slots are not listed).</returns>
    public IReadOnlyList<string> Reload()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var rejected = new List<string>();
            ReadSlots(rejected);
            return rejected;
        }
    }

    private void ReadSlots(List<string> rejected)
    {
        var buffer = new byte[CommitRecordFormat.SlotSize];
        var length = RandomAccess.GetLength(_handle);
        for (var i = 0; i < CommitRecordFormat.SlotCount; i++)
        {
            var offset = (long)i * CommitRecordFormat.SlotSize;
            var read = offset < length ? RandomAccess.Read(_handle, buffer, offset) : 0;
            var cause = CommitRecordFormat.Decode(buffer.AsSpan(0, read), out var record);
            if (cause is not null)
            {
                rejected.Add($"{Path} slot {i} (offset {offset}): {cause}");
            }

            _slots[i] = record;
        }
    }

    /// <summary>Returns and clears the failure of the last commit write, if it failed.</summary>
    public IOException? TakeWriteFailure()
    {
        lock (_lock)
        {
            var failure = _writeFailure;
            _writeFailure = null;
            return failure;
        }
    }

    /// <summary>Writes a record durably; throws on failure (used for cutting a torn tail, not by FASTER).</summary>
    public void WriteRecord(long commitNum, byte[] metadata)
    {
        lock (_lock)
        {
            WriteCore(commitNum, metadata);
        }
    }

    /// <inheritdoc />
    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        lock (_lock)
        {
            try
            {
                _injector.BeforeSynchronousWrite();
                WriteCore(commitNum, commitMetadata);
            }
            catch (IOException ex)
            {
                // Recorded, not thrown: see the remarks. The log turns it into a write fault.
                _writeFailure = ex;
            }
        }
    }

    /// <inheritdoc />
    public byte[] GetCommitMetadata(long commitNum)
    {
        lock (_lock)
        {
            return _slots.FirstOrDefault(s => s is not null && s.CommitNum == commitNum)?.Metadata
                ?? throw new FasterException($"No commit record {commitNum} in {Path}");
        }
    }

    /// <inheritdoc />
    public IEnumerable<long> ListCommits()
    {
        lock (_lock)
        {
            return _slots.OfType<CommitSlotRecord>().OrderByDescending(s => s.WriteSequence).Select(s => s.CommitNum).ToArray();
        }
    }

    /// <inheritdoc />
    public void RemoveCommit(long commitNum)
    {
        // Both slots are always kept: the older one is the fallback for a torn write of the newer.
    }

    /// <inheritdoc />
    public void RemoveAllCommits()
    {
        lock (_lock)
        {
            RandomAccess.Write(_handle, new byte[CommitRecordFormat.FileSize], 0);
            RandomAccess.FlushToDisk(_handle);
            Array.Clear(_slots);
        }
    }

    /// <inheritdoc />
    public void OnRecovery(long commitNum)
    {
        // Nothing to clean up: the file never holds more than two records.
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _handle.Dispose();
            }
        }
    }

    private CommitSlotRecord? LatestCore(out int slot)
    {
        slot = -1;
        CommitSlotRecord? latest = null;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } s && (latest is null || s.WriteSequence > latest.WriteSequence))
            {
                latest = s;
                slot = i;
            }
        }

        return latest;
    }

    private void WriteCore(long commitNum, byte[] metadata)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var latest = LatestCore(out var latestSlot);
        var target = latestSlot < 0 ? 0 : 1 - latestSlot;
        var sequence = checked((latest?.WriteSequence ?? 0) + 1);
        var bytes = CommitRecordFormat.Encode(sequence, commitNum, metadata);
        _slots[target] = null; // about to be overwritten: no longer a valid fallback until the write is durable
        RandomAccess.Write(_handle, bytes, (long)target * CommitRecordFormat.SlotSize);

        // The file never changes size, so its data is all a crash needs: fdatasync skips the mtime journal write.
        DurableFiles.FlushData(_handle);
        _slots[target] = new CommitSlotRecord(sequence, commitNum, metadata);
    }
}
