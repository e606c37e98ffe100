using System.Globalization;

namespace Registry.LoadTest.Setup;

/// <summary>
/// <c>Registry.LoadTest large-data DIR [COMMITS]</c>: the large data set of a run (default 100,000 commits, 50,000
/// descriptors), written offline to <c>DIR/data</c> with fresh trust material (<c>DIR/config/trust-roots.json</c>) and
/// backed up to <c>DIR/backup</c>, and kept: for profiling a restore or a replica bootstrap with a short command
/// (perf/README.md, "Profiling a full verification").
/// </summary>
public static class LargeDataDump
{
    /// <summary>The first argument that selects this.</summary>
    public const string Verb = "large-data";

    /// <summary>Writes the directories; 0 on success.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Path.GetFullPath(args[1]);
        var commits = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        using var trust = TrustMaterial.Generate();
        var config = trust.WriteConfig(Path.Combine(root, "config"));
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var (version, took) = await RegistryDataBuilder.BuildAsync(data, trust, new LargeDataSet(commits / 2, commits));
        var backup = Path.Combine(root, "backup");
        await using (var store = await Registry.Store.RegistryStore.OpenAsync(new Registry.Store.RegistryStoreOptions { DataDirectory = data, CheckpointOnClose = false }, trust.Genesis))
        {
            await store.BackupAsync(backup);
        }

        Console.WriteLine($"{version:#,0} versions written to {data} in {took.TotalSeconds:0.0} s, backed up to {backup}; configuration {config}");
        return 0;
    }
}
