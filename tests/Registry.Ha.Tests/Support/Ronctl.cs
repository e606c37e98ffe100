using System.Diagnostics;
using System.Reflection;
using Registry.Testing;

namespace Registry.Ha.Tests.Support;

/// <summary>ronctl (the built ronctl.dll of the same configuration) as a child process.</summary>
internal static class Ronctl
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        var configuration = typeof(Ronctl).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(TestPaths.RepoRoot, "src", "Registry.Cli", "bin", configuration, "net10.0", "ronctl.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
