using Registry.Core.Machine;
using Registry.Store.Checkpoints;
using Registry.Store.Faults;
using Registry.Store.IO;
using Registry.Store.Log;
using FasterRecoveryInfo = FASTER.core.FasterLogRecoveryInfo;

namespace Registry.Store;

public sealed partial class RegistryStore
{
    /// <summary>
    /// Hot backup into <paramref name="destination"/> (new or empty) while writes continue: a checkpoint of the last
    /// published state, the log up to exactly that state's position, and a commit record naming that end. The copy
    /// opens as a data directory at that version.
    /// </summary>
    /// <remarks>
    /// Consistent without pausing the writer: log bytes below a durable position never change (FASTER rewrites the
    /// tail sector with identical bytes for the committed part), so copying them races with nothing, and the backup's
    /// own commit record ends the log where the checkpoint's state ends.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The store is in amnesia mode.</exception>
    /// <exception cref="IOException">The destination already holds data.</exception>
    public async Task<BackupReport> BackupAsync(string destination, CancellationToken cancellationToken = default)
    {
        if (_log is not FasterEventLog log)
        {
            throw new InvalidOperationException("An amnesia store has nothing on disk to back up.");
        }

        var target = new DataDirectory(destination);
        if (target.HoldsData)
        {
            throw new IOException($"The backup destination {target.Path} already holds data.");
        }

        (Core.State.RegistryState State, DurablePosition Position) published;
        lock (_checkpointLock)
        {
            published = _published;
        }

        var (state, position) = published;
        var bytes = await Task.Run(() => CopyLogPrefix(log, target.LogDirectory, position), cancellationToken).ConfigureAwait(false);
        var commitPath = Path.Combine(target.LogDirectory, FasterEventLog.CommitFileName);
        using (var commits = FileLogCommitManager.Open(commitPath, new StorageFaultInjector(), create: true))
        {
            var info = new FasterRecoveryInfo
            {
                BeginAddress = log.BeginAddress,
                UntilAddress = position.Address,
                CommitNum = 1,
                Cookie = CommitCookie.Encode(position.EntryCount, log.PageSizeBits, log.SegmentSizeBits),
            };
            commits.WriteRecord(info.CommitNum, info.ToByteArray());
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        StateSnapshotCodec.Write(state, buffer);
        var checkpoint = new Checkpoint(state.Version, new LogPosition(position.Address, position.EntryCount), _options.Time.GetUtcNow(), buffer.WrittenMemory);
        var written = new FileCheckpointStore(target.CheckpointDirectory, 1).Write(checkpoint);
        DurableFiles.FsyncDirectory(target.Path);
        return new BackupReport(target.Path, state.Version, state.HeadHash.ToString(), position, bytes, written.Location);
    }

    private static long CopyLogPrefix(FasterEventLog log, string destination, DurablePosition position)
    {
        Directory.CreateDirectory(destination);
        var segmentSize = 1L << log.SegmentSizeBits;
        long copied = 0;
        if (position.EntryCount > 0)
        {
            for (var segment = 0L; segment <= (position.Address - 1) >> log.SegmentSizeBits; segment++)
            {
                var length = Math.Min(segmentSize, position.Address - (segment << log.SegmentSizeBits));
                var source = log.SegmentPath(segment << log.SegmentSizeBits);
                using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var output = new FileStream(Path.Combine(destination, Path.GetFileName(source)), FileMode.CreateNew, FileAccess.Write);
                var buffer = new byte[1 << 20];
                var remaining = Math.Min(length, input.Length);
                while (remaining > 0)
                {
                    var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                    if (read == 0)
                    {
                        break;
                    }

                    output.Write(buffer, 0, read);
                    remaining -= read;
                    copied += read;
                }

                output.Flush(flushToDisk: true);
            }
        }

        DurableFiles.FsyncDirectory(destination);
        return copied;
    }
}
