namespace Registry.Store.Checkpoints;

/// <summary>
/// The checkpoint store of amnesia mode: encoded checkpoints kept in process memory, nothing written anywhere.
/// </summary>
/// <remarks>Holds the same encoded bytes a file would, so loading checks them exactly as files are checked. Thread-safe.</remarks>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, byte[]> _checkpoints = [];

    /// <summary>Creates a store keeping <paramref name="keep"/> checkpoints.</summary>
    public InMemoryCheckpointStore(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Keep = keep;
    }

    /// <inheritdoc />
    public int Keep { get; }

    /// <inheritdoc />
    public CheckpointInfo Write(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var bytes = CheckpointFormat.Encode(checkpoint);
        lock (_lock)
        {
            _checkpoints[checkpoint.Next.Sequence] = bytes;
            while (_checkpoints.Count > Keep)
            {
                _checkpoints.Remove(_checkpoints.Keys.First());
            }
        }

        return new CheckpointInfo(NameFor(checkpoint.Next.Sequence), checkpoint.RegistryVersion, checkpoint.Next, checkpoint.CreatedAt, bytes.Length);
    }

    /// <inheritdoc />
    public CheckpointLoadResult LoadNewest(Func<Checkpoint, string?>? accept = null)
    {
        var rejected = new List<RejectedCheckpoint>();
        foreach (var (sequence, bytes) in Snapshot())
        {
            var cause = CheckpointFormat.Decode(bytes, out var checkpoint, out var offset);
            if (cause is null && accept?.Invoke(checkpoint!) is { } refused)
            {
                cause = refused;
                offset = CheckpointFormat.HeaderSize;
            }

            if (cause is not null)
            {
                rejected.Add(new RejectedCheckpoint(NameFor(sequence), offset, cause));
                continue;
            }

            return new CheckpointLoadResult(
                checkpoint,
                new CheckpointInfo(NameFor(sequence), checkpoint!.RegistryVersion, checkpoint.Next, checkpoint.CreatedAt, bytes.Length),
                rejected);
        }

        return new CheckpointLoadResult(null, null, rejected);
    }

    /// <inheritdoc />
    public IReadOnlyList<CheckpointInfo> List() =>
        Snapshot()
            .Select(x => CheckpointFormat.Decode(x.Bytes, out var c, out _) is null
                ? new CheckpointInfo(NameFor(x.Sequence), c!.RegistryVersion, c.Next, c.CreatedAt, x.Bytes.Length)
                : null)
            .OfType<CheckpointInfo>()
            .ToArray();

    /// <summary>Test hook: the stored bytes of the checkpoint at <paramref name="sequence"/>, to damage them.</summary>
    internal byte[] RawBytes(long sequence)
    {
        lock (_lock)
        {
            return _checkpoints[sequence];
        }
    }

    private static string NameFor(long sequence) => $"memory:checkpoint-{sequence}";

    private (long Sequence, byte[] Bytes)[] Snapshot()
    {
        lock (_lock)
        {
            return _checkpoints.Reverse().Select(kv => (kv.Key, kv.Value)).ToArray();
        }
    }
}
