using System.Diagnostics;
using System.Reflection;
using Registry.Testing;

namespace Registry.Api.Tests.Ops;

/// <summary>Runs an external tool (promtool, systemd-analyze, bash) for the ops checks, with a deadline.</summary>
internal static class OpsTool
{
    /// <summary>A file under the repository root.</summary>
    public static string RepoFile(params string[] parts) => Path.Combine([TestPaths.RepoRoot, .. parts]);

    /// <summary>
    /// Runs <c>ops/<paramref name="script"/></c> with bash against this build (CONFIGURATION set to the tests' own) and
    /// asserts it exits 0 and prints <paramref name="okLine"/>.
    /// </summary>
    public static async Task RunOpsScriptAsync(string script, string okLine, TimeSpan timeout)
    {
        var configuration = typeof(OpsTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var (exit, stdout, stderr) = await RunAsync(
            "bash", [RepoFile("ops", script)], env: new Dictionary<string, string> { ["CONFIGURATION"] = configuration }, timeout: timeout);
        Assert.True(exit == 0, $"ops/{script} exited {exit}\n{stdout}\n{stderr}");
        Assert.Contains(okLine, stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code and everything it printed (stdout, then stderr).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestPaths.RepoRoot,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in time:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
