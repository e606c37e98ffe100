using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Registry.Testing;

/// <summary>
/// A real svc-registry process on loopback for tests: free ports, its own data directory, stdout
/// captured line by line, readiness awaited on the service's own "ready=1" log line (no sleeps),
/// SIGTERM for a graceful stop and SIGKILL for crash tests.
/// </summary>
internal sealed partial class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RegistryProcess(Process process, int apiPort, int adminPort, string dataDir)
    {
        _process = process;
        ApiPort = apiPort;
        AdminPort = adminPort;
        DataDir = dataDir;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int ApiPort { get; }

    public int AdminPort { get; }

    public string DataDir { get; }

    public HttpClient Api { get; }

    public HttpClient Admin { get; }

    public int Pid => _process.Id;

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    /// <summary>The built svc-registry.dll of the same configuration as the tests.</summary>
    public static string ServiceDll
    {
        get
        {
            var configuration = typeof(RegistryProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(TestPaths.RepoRoot, "src", "Registry.Api", "bin", configuration, "net10.0", "svc-registry.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Registry.Api first.", path);
        }
    }

    /// <summary>
    /// Starts the service and waits until it logs ready (or fails to start). Test projects run in
    /// parallel, so a free port can be taken between choosing it and binding it: a start that fails
    /// with "address already in use" is retried on new ports.
    /// </summary>
    /// <param name="dataDir">The data directory (and working directory); a new temporary one when null.</param>
    /// <param name="args">The arguments (default: <c>--data-dir DIR</c>).</param>
    /// <param name="env">Extra environment variables.</param>
    /// <param name="waitReady">Wait for <c>ready=1</c>.</param>
    /// <param name="ports">The API and admin ports to bind (a restart at the same address, e.g. a followed node); null: free ones.</param>
    public static async Task<RegistryProcess> StartAsync(string? dataDir = null, IEnumerable<string>? args = null, IDictionary<string, string>? env = null, bool waitReady = true, (int Api, int Admin)? ports = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("svcr-test-").FullName;
        var argList = args?.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var service = await StartOnceAsync(dataDir, argList, env, waitReady: false, ports);
            if (!waitReady)
            {
                return service;
            }

            try
            {
                await service.WaitReadyAsync();
                return service;
            }
            catch (InvalidOperationException) when (attempt < 5 && ports is null && service.Lines.Any(l => l.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                await service.DisposeAsync();
            }
        }
    }

    private static async Task<RegistryProcess> StartOnceAsync(string dataDir, IEnumerable<string>? args, IDictionary<string, string>? env, bool waitReady, (int Api, int Admin)? ports = null)
    {
        var apiPort = ports?.Api ?? FreePort();
        var adminPort = ports?.Admin ?? FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        info.ArgumentList.Add(ServiceDll);
        foreach (var arg in args ?? ["--data-dir", dataDir])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["REGISTRY_ADDR"] = $"127.0.0.1:{apiPort}";
        info.Environment["METRICS_ADDR"] = $"127.0.0.1:{adminPort}";
        info.Environment.Remove("RON_CONFIG");
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new RegistryProcess(process, apiPort, adminPort, dataDir);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.Exited += (_, _) => service._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitReady)
        {
            await service.WaitReadyAsync();
        }

        return service;
    }

    /// <summary>Waits for the "ready=1" line; throws with the log if the process exits first.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var ready = WaitForLineAsync(l => l.Contains("ready=1 service=svc-registry", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(60));
        var first = await Task.WhenAny(ready, _exited.Task);
        if (first != ready)
        {
            throw new InvalidOperationException($"svc-registry exited ({_process.ExitCode}) before ready:\n{string.Join('\n', _lines)}");
        }

        await ready;
    }

    /// <summary>A line matching <paramref name="match"/>, already logged or the next one to be.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_lines.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
        }

        await _exited.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Sends a signal (e.g. 1 = SIGHUP).</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    /// <summary>SIGKILL: no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Api.Dispose();
        Admin.Dispose();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Done.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
