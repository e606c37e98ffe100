using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary>
/// Moves the backup directory the service named (under its <c>storage.backup_dir</c>) to where the operator wants
/// it: a rename when both are on one file system (atomic, no copy), else a copy with every file flushed to disk,
/// then the service's copy is deleted, so backups do not pile up in the service's directory.
/// </summary>
internal static class BackupMove
{
    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/> (new or empty); returns <paramref name="checkpoint"/> as it is named there.</summary>
    public static string Move(string source, string destination, string checkpoint)
    {
        if (!Directory.Exists(source))
        {
            throw new CliException(ExitCodes.Failure, $"svc-registry wrote the backup to '{source}' on its own host, which is not visible here: run 'ronctl backup' on the service's host, or copy that directory yourself");
        }

        if (Directory.Exists(destination))
        {
            // Known empty (checked before the service was asked): a rename needs the name free.
            Directory.Delete(destination);
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(destination));
        if (!string.IsNullOrEmpty(parent))
        {
            Directory.CreateDirectory(parent);
        }

        try
        {
            Directory.Move(source, destination);
        }
        catch (IOException)
        {
            // Another file system (EXDEV): copy, then drop the service's copy.
            Copy(source, destination);
            Directory.Delete(source, recursive: true);
        }

        return checkpoint.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Path.Combine(destination, checkpoint[(source.Length + 1)..])
            : checkpoint;
    }

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            using var input = File.OpenRead(file);
            using var output = new FileStream(Path.Combine(destination, Path.GetRelativePath(source, file)), FileMode.CreateNew, FileAccess.Write);
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }
    }
}
