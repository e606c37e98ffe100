using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Registry.Testing;

namespace Registry.Store.Tests.Crash;

/// <summary>
/// The crash child (tests/Registry.Store.CrashChild) as a real process started with <c>dotnet &lt;dll&gt;</c>: its
/// stdout lines are read as they come, so the test can wait for a given number of acknowledgements and then SIGKILL it.
/// </summary>
internal sealed class CrashChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private CrashChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Commits the child acknowledged (printed after the append returned durable), in order.</summary>
    public List<(long Version, string Hash)> Acknowledged { get; } = [];

    /// <summary>What the child recovered at start ("READY version hash").</summary>
    public (long Version, string Hash) Ready { get; private set; }

    public static CrashChildProcess Start(string dataDirectory, int seed)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ChildDll);
        info.ArgumentList.Add(dataDirectory);
        info.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        return new CrashChildProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Reads lines until the child is ready and has acknowledged <paramref name="acks"/> more commits (or exits).</summary>
    public async Task ReadUntilAsync(int acks, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var target = Acknowledged.Count + acks;
        while ((Ready == default || Acknowledged.Count < target) && await _lines.Reader.WaitToReadAsync(timeout.Token))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                Parse(line);
            }
        }
    }

    /// <summary>SIGKILL, then collect every line the child printed before it died.</summary>
    public async Task KillAndDrainAsync()
    {
        _process.Kill(entireProcessTree: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
        {
            Parse(line);
        }
    }

    public void Dispose() => _process.Dispose();

    private void Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts is ["READY", var version, var hash])
        {
            Ready = (long.Parse(version, CultureInfo.InvariantCulture), hash);
        }
        else if (parts is ["ACK", var v, var h])
        {
            Acknowledged.Add((long.Parse(v, CultureInfo.InvariantCulture), h));
        }
    }

    private static string ChildDll
    {
        get
        {
            // Same configuration as this test assembly: .../bin/<Configuration>/<tfm>/
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmDir.Parent!.Name;
            var path = Path.Combine(TestPaths.RepoRoot, "tests", "Registry.Store.CrashChild", "bin", configuration, tfmDir.Name, "Registry.Store.CrashChild.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Registry.Store.CrashChild first.", path);
        }
    }
}
