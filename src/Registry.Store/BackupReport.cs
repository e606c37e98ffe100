using Registry.Store.Log;

namespace Registry.Store;

/// <summary>What a hot backup captured.</summary>
/// <param name="Directory">The backup's data directory.</param>
/// <param name="Version">The registry version of the backup.</param>
/// <param name="HeadHash">Its HEAD hash.</param>
/// <param name="Position">The log position it ends at.</param>
/// <param name="LogBytes">Bytes of log copied.</param>
/// <param name="Checkpoint">The checkpoint file written for it.</param>
public sealed record BackupReport(string Directory, long Version, string HeadHash, DurablePosition Position, long LogBytes, string Checkpoint)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"backup of version {Version} ({HeadHash}) in {Directory}: {Position.EntryCount} log entries, {LogBytes} bytes, checkpoint {Checkpoint}";
}
