using System.Diagnostics;
using System.Text.Json;
using Registry.LoadTest.Results;

namespace Registry.LoadTest.Load;

/// <summary>
/// Runs wrk (closed loop: each connection sends its next request when the previous answer arrives) with
/// perf/wrk/request.lua, pinned to the load generator's CPUs, and reads the JSON line its done() prints.
/// </summary>
public sealed class WrkRunner(string script, string? cpus)
{
    /// <summary>One wrk run of <paramref name="duration"/>; non-2xx answers and socket errors count as errors.</summary>
    public async Task<Repetition> RunAsync(Uri baseAddress, string method, string path, string? bodyFile, int connections, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        // One wrk thread per load CPU, never more threads than connections.
        var threads = Math.Max(1, Math.Min(connections, Systems.CpuList.Count(cpus)));
        List<string> args = ["-t" + threads, "-c" + connections, "-d" + Math.Max(1, (int)Math.Round(duration.TotalSeconds)) + "s", "--timeout", "10s", "-s", script, baseAddress.ToString().TrimEnd('/'), "--", method, path];
        if (bodyFile is not null)
        {
            args.Add(bodyFile);
        }

        var info = new ProcessStartInfo(cpus is null ? "wrk" : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (cpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add("wrk");
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {output}{await stderr}");
        using var json = JsonDocument.Parse(line["WRK_JSON ".Length..]);
        var r = json.RootElement;
        double D(string name) => r.GetProperty(name).GetDouble();
        var errors = (long)(D("errors_status") + D("errors_connect") + D("errors_read") + D("errors_write") + D("errors_timeout"));
        return new Repetition
        {
            Throughput = D("rps"),
            P50Ms = D("p50_ms"),
            P95Ms = D("p95_ms"),
            P99Ms = D("p99_ms"),
            MaxMs = D("max_ms"),
            Count = (long)D("requests") - errors,
            Errors = errors,
            Extra = new Dictionary<string, double>
            {
                ["bytes_per_response"] = D("requests") > 0 ? Math.Round(D("bytes") / D("requests")) : 0,
                ["connections"] = connections,
                ["wrk_threads"] = threads,
            },
        };
    }

    /// <summary>wrk's version line, for the report.</summary>
    public static string Version()
    {
        try
        {
            var info = new ProcessStartInfo("wrk", "-v") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n')[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "missing";
        }
    }
}
