using Registry.Core.Model;
using Registry.Store.IO;

namespace Registry.Store.Maintenance;

/// <summary>Offline restore (<c>ronctl restore</c>): verify a backup, then put it in place as a data directory.</summary>
public static class StoreRestore
{
    /// <summary>
    /// Verifies the backup in <paramref name="backupDirectory"/> end to end, then copies it into
    /// <paramref name="dataDirectory"/>, which must be empty and not in use; every file and directory is fsynced.
    /// </summary>
    /// <returns>The verification report of the backup (the restored directory holds exactly it).</returns>
    /// <exception cref="CorruptStoreException">The backup fails verification; nothing is copied.</exception>
    /// <exception cref="IOException">The target holds data, or is in use.</exception>
    public static async Task<VerificationReport> RestoreAsync(string backupDirectory, string dataDirectory, GenesisRecord genesis, CancellationToken cancellationToken = default)
    {
        var report = await StoreVerifier.VerifyAsync(backupDirectory, genesis, cancellationToken).ConfigureAwait(false);
        if (!report.Ok)
        {
            throw new CorruptStoreException(report.DataDirectory, 0, "the backup fails verification: " + string.Join("; ", report.Problems));
        }

        var source = new DataDirectory(backupDirectory);
        var target = new DataDirectory(dataDirectory);
        using var targetLock = target.Lock();
        if (target.HoldsData)
        {
            throw new IOException($"Refusing to restore over {target.Path}: it already holds data.");
        }

        Copy(source.LogDirectory, target.LogDirectory);
        Copy(source.CheckpointDirectory, target.CheckpointDirectory);
        DurableFiles.FsyncDirectory(target.Path);
        return report;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var destination = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, destination);
            using (var stream = new FileStream(destination, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Flush(flushToDisk: true);
            }
        }

        DurableFiles.FsyncDirectory(to);
    }
}
