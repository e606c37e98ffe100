using System.Buffers.Binary;
using System.Globalization;
using Registry.Store.IO;
using Registry.Store.Log;

namespace Registry.Store.Checkpoints;

/// <summary>
/// Checkpoints as files <c>checkpoint-NNNNNNNNNNNNNNNNNNNN.ckpt</c> (the log sequence number, zero-padded) in one
/// directory, in <see cref="CheckpointFormat"/>.
/// </summary>
/// <remarks>
/// A write goes to <c>.ckpt.tmp</c>, is fsynced, renamed over the final name and the directory fsynced, so a crash
/// leaves either no new checkpoint or a whole one; a leftover temp file is ignored and removed by the next write.
/// Thread-safe: writes are serialized, loads read only complete files.
/// </remarks>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string Suffix = ".ckpt";
    private readonly Lock _writeLock = new();

    /// <summary>Creates a store over <paramref name="directory"/> (created when missing) keeping <paramref name="keep"/> checkpoints.</summary>
    public FileCheckpointStore(string directory, int keep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Directory = Path.GetFullPath(directory);
        Keep = keep;
    }

    /// <summary>The directory holding the checkpoint files.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public int Keep { get; }

    /// <summary>The file name of the checkpoint whose replay starts at sequence <paramref name="next"/>.</summary>
    public static string FileNameFor(long next) => Prefix + next.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    /// <inheritdoc />
    public CheckpointInfo Write(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        lock (_writeLock)
        {
            var path = Path.Combine(Directory, FileNameFor(checkpoint.Next.Sequence));
            var header = CheckpointFormat.EncodeHeader(checkpoint);
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                DurableFiles.WriteAtomically(path, header, checkpoint.Payload.Span);
                Prune();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageWriteException(
                    (ex.HResult & 0xFFFF) == 28 ? StorageWriteFailure.DiskFull : StorageWriteFailure.IoError,
                    $"Writing checkpoint {path} failed: {ex.Message}", ex);
            }

            return new CheckpointInfo(path, checkpoint.RegistryVersion, checkpoint.Next, checkpoint.CreatedAt, header.Length + checkpoint.Payload.Length);
        }
    }

    /// <inheritdoc />
    public CheckpointLoadResult LoadNewest(Func<Checkpoint, string?>? accept = null)
    {
        var rejected = new List<RejectedCheckpoint>();
        foreach (var (path, sequence) in Files())
        {
            var bytes = File.ReadAllBytes(path);
            var cause = CheckpointFormat.Decode(bytes, out var checkpoint, out var offset);
            if (cause is null && checkpoint!.Next.Sequence != sequence)
            {
                cause = $"the file name says sequence {sequence}, the header says {checkpoint.Next.Sequence}";
                offset = 32;
            }

            if (cause is null && accept?.Invoke(checkpoint!) is { } refused)
            {
                cause = refused;
                offset = CheckpointFormat.HeaderSize;
            }

            if (cause is not null)
            {
                rejected.Add(new RejectedCheckpoint(path, offset, cause));
                continue;
            }

            var info = new CheckpointInfo(path, checkpoint!.RegistryVersion, checkpoint.Next, checkpoint.CreatedAt, bytes.Length);
            return new CheckpointLoadResult(checkpoint, info, rejected);
        }

        return new CheckpointLoadResult(null, null, rejected);
    }

    /// <summary>Reads and checks one checkpoint file; returns the cause (and offset) when it is damaged.</summary>
    public static string? Load(string path, out Checkpoint? checkpoint, out long offset)
    {
        ArgumentNullException.ThrowIfNull(path);
        var cause = CheckpointFormat.Decode(File.ReadAllBytes(path), out checkpoint, out offset);
        var name = Path.GetFileName(path);
        if (cause is null && name != FileNameFor(checkpoint!.Next.Sequence))
        {
            offset = 32;
            cause = $"the file name {name} does not match the header's sequence {checkpoint.Next.Sequence}";
        }

        return cause;
    }

    /// <summary>The checkpoint files present, newest first (names only; nothing is read).</summary>
    public IReadOnlyList<string> Paths() => Files().Select(f => f.Path).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<CheckpointInfo> List()
    {
        var result = new List<CheckpointInfo>();
        var header = new byte[CheckpointFormat.HeaderSize];
        foreach (var (path, _) in Files())
        {
            using var handle = File.OpenHandle(path);
            var read = RandomAccess.Read(handle, header, 0);
            if (read == header.Length && BinaryPrimitives.ReadUInt32LittleEndian(header) == CheckpointFormat.Magic)
            {
                result.Add(new CheckpointInfo(
                    path,
                    BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16)),
                    new LogPosition(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24)), BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32))),
                    DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(40))),
                    RandomAccess.GetLength(handle)));
            }
        }

        return result;
    }

    /// <summary>Checkpoint files, newest (highest sequence) first.</summary>
    private (string Path, long Sequence)[] Files()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Suffix)
            .Select(p => (Path: p, Name: Path.GetFileName(p)))
            .Select(x => (x.Path, Ok: long.TryParse(x.Name.AsSpan(Prefix.Length, x.Name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n), Sequence: n))
            .Where(x => x.Ok)
            .OrderByDescending(x => x.Sequence)
            .Select(x => (x.Path, x.Sequence))
            .ToArray();
    }

    private void Prune()
    {
        var removed = false;
        foreach (var (path, _) in Files().Skip(Keep))
        {
            File.Delete(path);
            removed = true;
        }

        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Suffix + ".tmp"))
        {
            File.Delete(temp);
            removed = true;
        }

        if (removed)
        {
            DurableFiles.FsyncDirectory(Directory);
        }
    }
}
