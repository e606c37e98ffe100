using System.Diagnostics;

namespace Registry.LoadTest.Systems;

/// <summary>Runs a command-line tool to completion (etcdctl); throws with its output when it fails.</summary>
public static class Tool
{
    /// <summary>Runs <paramref name="program"/>; returns its standard output.</summary>
    public static async Task<string> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}
