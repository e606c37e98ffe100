using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Registry.LoadTest.Systems;

/// <summary>
/// A server process the harness owns: started through <c>taskset -c CPUS</c> (taskset execs the program, so
/// the pid is the server's own), stdout and stderr appended to a log file, stopped with SIGTERM (SIGKILL if it
/// does not exit in time). Only ever signals its own pid.
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable
{
    private static readonly Lock s_running = new();
    private static readonly HashSet<ManagedProcess> s_live = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _lock = new();

    private ManagedProcess(Process process, StreamWriter log, long startedAt)
    {
        _process = process;
        _log = log;
        StartedAt = startedAt;
    }

    /// <summary>The server's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="program"/> pinned to <paramref name="cpus"/> (null: not pinned).</summary>
    public static ManagedProcess Start(string program, IEnumerable<string> args, string? cpus, string logFile, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo(cpus is null ? program : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(logFile)!,
        };
        if (cpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var startedAt = Stopwatch.GetTimestamp();
        var managed = new ManagedProcess(process, log, startedAt);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.Start();
        lock (s_running)
        {
            s_live.Add(managed);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>The pids of every server the harness has running now.</summary>
    public static int[] LivePids()
    {
        lock (s_running)
        {
            return [.. s_live.Select(p => p.Pid)];
        }
    }

    /// <summary>
    /// SIGKILLs every server still running: called when the harness itself is interrupted (Ctrl-C, SIGTERM from a
    /// CI timeout), so no etcd or svc-registry outlives it.
    /// </summary>
    public static void KillAll()
    {
        lock (s_running)
        {
            foreach (var managed in s_live)
            {
                _ = Kill(managed.Pid, 9);
            }

            s_live.Clear();
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL (a crash, for the fail-over measurement) and wait until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 9);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        lock (s_running)
        {
            s_live.Remove(this);
        }

        _process.Dispose();
        lock (_lock)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _log.WriteLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
