using System.Diagnostics;
using System.Globalization;
using Registry.Core.Model;

namespace Registry.LoadTest.Systems;

/// <summary>
/// svc-registry's restore (<c>StoreRestore.RestoreAsync</c>, what <c>ronctl restore</c> runs) in a process of its own,
/// started through <c>taskset</c> on the CPUs given (both on this machine), as <c>etcdctl snapshot restore</c> is: a
/// restore is an offline tool run on an idle machine, and its signature checks use every core it is given. The harness
/// process itself stays pinned to the load CPUs, so it cannot host the restore without starving it.
/// </summary>
public static class RestoreProcess
{
    /// <summary>The first argument that makes the harness executable a restore child instead of a run.</summary>
    public const string Verb = "restore-child";

    /// <summary>Runs the restore child on <paramref name="cpus"/> (null: unpinned) and waits for it.</summary>
    public static async Task RunAsync(string? cpus, string trustRootsFile, string backup, string target)
    {
        var harness = typeof(RestoreProcess).Assembly.Location;
        string[] child = ["dotnet", harness, Verb, trustRootsFile, backup, target];
        if (cpus is null)
        {
            await Tool.RunAsync(child[0], child[1..]);
            return;
        }

        await Tool.RunAsync("taskset", ["-c", cpus, .. child]);
    }

    /// <summary>The child's work: verify the backup against the trust roots and put it in place.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var genesis = GenesisRecord.FromTrustRoots(await File.ReadAllBytesAsync(args[1]));
        var clock = Stopwatch.StartNew();
        var report = await Registry.Store.Maintenance.StoreRestore.RestoreAsync(args[2], args[3], genesis);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restored version {report.HeadVersion} in {clock.Elapsed.TotalMilliseconds:0} ms on {Environment.ProcessorCount} CPU(s)"));
        return 0;
    }
}
