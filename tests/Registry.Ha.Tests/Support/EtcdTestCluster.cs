using System.Diagnostics;
using Registry.Testing;

namespace Registry.Ha.Tests.Support;

/// <summary>A 3-member etcd cluster on loopback, started and stopped with ops/etcd-cluster.sh (fresh data directories).</summary>
public sealed class EtcdTestCluster : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("svcr-ha-etcd-").FullName, "cluster");

    /// <summary>The client URLs, comma-separated (what <c>--etcd</c> takes).</summary>
    public string Endpoints { get; private set; } = string.Empty;

    /// <summary>The client URLs.</summary>
    public IReadOnlyList<string> EndpointList => Endpoints.Split(',');

    public async Task InitializeAsync() => Endpoints = (await ScriptAsync("start", _dir)).Trim();

    public async Task DisposeAsync() => await ScriptAsync("stop", _dir);

    /// <summary>SIGKILL of member <paramref name="member"/> (1..3).</summary>
    public Task KillMemberAsync(int member) => ScriptAsync("kill-member", _dir, member.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Restarts member <paramref name="member"/> on its data directory.</summary>
    public Task StartMemberAsync(int member) => ScriptAsync("start-member", _dir, member.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether all three members report healthy.</summary>
    public async Task<bool> HealthyAsync()
    {
        var (exit, _, _) = await RunAsync("status", _dir);
        return exit == 0;
    }

    private static async Task<string> ScriptAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        Assert.True(exit == 0, $"ops/etcd-cluster.sh {string.Join(' ', args)} exited {exit}: {stdout}{stderr}");
        return stdout;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "ops", "etcd-cluster.sh"));
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
