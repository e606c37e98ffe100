using System.Diagnostics;
using System.Runtime.InteropServices;
using Registry.LoadTest.Load;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest;

/// <summary>The machine, versions and fairness settings of a run, recorded in the report.</summary>
public static class EnvironmentInfo
{
    /// <summary>Fills the report's environment table.</summary>
    public static void Fill(Dictionary<string, string> env, HarnessOptions options, bool amnesia, double busyBefore)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        env["machine"] = $"{Environment.ProcessorCount} CPUs ({CpuModel()}), {Memory()}, {RuntimeInformation.OSDescription}";
        env["machine load before the run"] = $"load average {Measure.MachineLoad.LoadAverage()}; {busyBefore:P0} of all CPUs busy over 2 s";
        env["svc-registry"] = $"{Git(options.RepoRoot)}, Release build, .NET {Environment.Version}; " + (amnesia ? "**--amnesia (in memory: no durable storage in this build)**" : "durable FasterLog storage (every write fsynced before it is acknowledged)");
        env["svc-registry config"] = $"TOML, {TrustMaterial.Signers} signers threshold {TrustMaterial.Threshold}, capability token; storage.history_window 1024 (default); log level information";
        env["etcd"] = $"{Tool("etcd", "--version")}, single member, default durability (WAL fdatasync before acknowledging; 3.4 has no way to turn it off), HTTP/JSON gateway";
        env["load tools"] = $"{WrkRunner.Version()} (reads); Registry.LoadTest (HttpClient, writes, SSE, watch)";
        env["CPU pinning"] = options.ServerCpus is null ? "none" : $"both servers on CPU {options.ServerCpus}; wrk and the harness on CPU {options.LoadCpus}";
        env["data directories"] = "fresh temporary directories on the same disk for each system and phase";
        env["payload"] = $"descriptors of exactly {Payload.DescriptorBytes} bytes of canonical JSON; etcd value = the same bytes under key desc/<id>";
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Memory() => $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0} GiB";

    private static string Git(string repo) => Tool("git", $"-C {repo} describe --always --dirty") is var v && v.Length > 0 ? $"commit {v}" : "commit unknown";

    private static string Tool(string program, string args)
    {
        try
        {
            var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n')[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "missing";
        }
    }
}
