using Registry.Store.Maintenance;
using Registry.Store.Tests.Support;
using Xunit.Abstractions;

namespace Registry.Store.Tests.Crash;

/// <summary>
/// A child process writes under load and prints every acknowledged (durable) commit; it is killed with SIGKILL at
/// random moments, 50 times on one data directory. After every kill the directory must open with every acknowledged
/// commit present (same version, same hash), nothing half-applied, and the whole chain must verify offline.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 50;
    private readonly TempDirectory _dir = new("crash");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SigkillAtRandomMoments_EveryAcknowledgedCommitSurvives_AndTheChainVerifies()
    {
        var random = new Random(20261122);
        var acknowledged = new SortedDictionary<long, string>();
        var killedBeforeReady = 0;
        var tornTails = 0;
        using var builder = new ChainBuilder();
        for (var kill = 0; kill < Kills; kill++)
        {
            using var child = CrashChildProcess.Start(_dir.Path, seed: random.Next());

            // Kill before it is even ready sometimes (mid-recovery), else after a random number of acknowledgements.
            var acks = random.Next(-3, 30);
            if (acks >= 0)
            {
                await child.ReadUntilAsync(acks, TimeSpan.FromSeconds(60));
                Assert.True(child.Ready.Version >= acknowledged.Keys.LastOrDefault(), $"kill {kill}: the child recovered version {child.Ready.Version}, below an acknowledged one");
            }

            await child.KillAndDrainAsync();
            killedBeforeReady += child.Ready == default ? 1 : 0;
            foreach (var (version, hash) in child.Acknowledged)
            {
                Assert.True(acknowledged.TryAdd(version, hash) || acknowledged[version] == hash, $"kill {kill}: version {version} acknowledged twice with different hashes");
            }

            await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = _dir.Path }, builder.Genesis);
            var head = store.Recovered;
            tornTails += store.Recovery.Log.TornTail is null ? 0 : 1;
            Assert.True(head.Version >= acknowledged.Keys.LastOrDefault(), $"kill {kill}: recovered version {head.Version}, but {acknowledged.Keys.LastOrDefault()} was acknowledged");
            foreach (var (version, hash) in child.Acknowledged)
            {
                var record = Assert.Single(await store.ReadCommitsAsync(version, version).CollectAsync());
                Assert.Equal(hash, record.Hash.ToString());
            }
        }

        // Every acknowledged commit of all 50 runs is in the chain, and the chain verifies end to end.
        await using (var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = _dir.Path }, builder.Genesis))
        {
            var all = await store.ReadCommitsAsync(1, store.Recovered.Version).CollectAsync();
            Assert.Equal(Enumerable.Range(1, all.Count).Select(v => (long)v), all.Select(r => r.Version));
            Assert.All(acknowledged, a => Assert.Equal(a.Value, all[(int)a.Key - 1].Hash.ToString()));
        }

        var report = await StoreVerifier.VerifyAsync(_dir.Path, builder.Genesis);
        output.WriteLine($"{Kills} SIGKILLs ({killedBeforeReady} before the child was ready), {acknowledged.Count} commits acknowledged, {tornTails} torn tails cut");
        output.WriteLine(report.ToString());
        Assert.True(report.Ok, report.ToString());
        Assert.True(acknowledged.Keys.Last() <= report.HeadVersion);
    }
}
