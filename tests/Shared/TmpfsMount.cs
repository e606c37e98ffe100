using System.Diagnostics;

namespace Registry.Testing;

/// <summary>
/// A real, small tmpfs mounted on a fresh directory (the tests run as root), unmounted and removed on dispose: a disk
/// that really fills up, for the write-fault tests the injector cannot stand in for.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string name, int sizeMiB)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "registry-tmpfs-tests", name + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", Path);
    }

    public string Path { get; }

    /// <summary>Bytes the file system can still allocate.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a file of zeros that leaves about <paramref name="leaveFree"/> bytes free; returns its path.</summary>
    public string Fill(string name, long leaveFree)
    {
        var path = System.IO.Path.Combine(Path, name);
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        while (FreeBytes - chunk.Length >= leaveFree)
        {
            file.Write(chunk);
            file.Flush();
        }

        return path;
    }

    /// <summary>Runs a command (mount, chattr, ...) and throws with its output when it fails.</summary>
    public static void Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }

    /// <summary>
    /// Makes <paramref name="directory"/> and everything in it immutable (<c>chattr -R +i</c>), or writable again.
    /// Immutable files cannot be opened for writing and the directory takes no new entry, even for root, which
    /// <c>chmod</c> would not stop; a read-only remount is refused while a process holds files open for writing.
    /// </summary>
    public static void SetImmutable(string directory, bool immutable) => Run("chattr", "-R", immutable ? "+i" : "-i", directory);

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }
}
