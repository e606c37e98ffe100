using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// A crash loop (issue 14, defect 6): a real svc-registry killed with SIGKILL 40 times in a row, with commits between
/// kills, never living as long as the checkpoint interval. Every start replays at most the threshold plus what was
/// written since the last start, instead of the whole log from genesis, so start-to-ready stays flat.
/// </summary>
public sealed partial class CrashLoopTests
{
    private const int Threshold = 20;
    private const int CommitsPerRound = 2;
    private const int EntriesPerCommit = 4; // proposal, two approvals, commit

    [Fact]
    public async Task FortyKills_EveryRecoveryReplaysAtMostTheThresholdPlusTheLastRound_AndACleanStopReplaysNothing()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-crashloop-").FullName;
        var env = new Dictionary<string, string> { ["SVCR_STORAGE__CHECKPOINT_AFTER_REPLAY_ENTRIES"] = Threshold.ToString(CultureInfo.InvariantCulture) };
        var replays = new List<long>();
        var timings = new List<long>();
        long version = 0;
        for (var round = 0; round < 40; round++)
        {
            var started = Stopwatch.StartNew();
            await using var service = await RegistryProcess.StartAsync(dataDir, env: env);
            timings.Add(started.ElapsedMilliseconds);
            var replayed = await ReplayedAsync(service);
            replays.Add(replayed);
            Assert.True(
                replayed < Threshold + (round == 0 ? 0 : CommitsPerRound * EntriesPerCommit),
                $"round {round}: recovery replayed {replayed} entries; at most {Threshold - 1} + the {CommitsPerRound * EntriesPerCommit} written since the last start were expected (replays so far: {string.Join(", ", replays)})");

            var driver = new Driver(service);
            for (var i = 0; i < CommitsPerRound; i++)
            {
                version = await driver.CommitChangesAsync(Driver.Region($"region:r{round}-{i}"));
            }

            await service.KillAsync();
        }

        Console.WriteLine($"start-to-ready ms per round: {string.Join(", ", timings)}");
        Console.WriteLine($"entries replayed per round: {string.Join(", ", replays)}");
        Assert.Equal(40 * CommitsPerRound, version);

        // A graceful stop takes a last checkpoint: the next start replays nothing.
        await using (var service = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            Assert.Equal(0, await service.StopAsync());
        }

        await using var clean = await RegistryProcess.StartAsync(dataDir, env: env);
        Assert.Equal(0, await ReplayedAsync(clean));
        Assert.Equal(version, (await new Driver(clean).HeadAsync()).GetProperty("version").GetInt64());
    }

    private static async Task<long> ReplayedAsync(RegistryProcess service)
    {
        var line = await service.WaitForLineAsync(l => l.Contains("recovery: recovered version", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var match = ReplayedEntries().Match(line);
        Assert.True(match.Success, line);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\+ (\d+) entries")]
    private static partial Regex ReplayedEntries();
}
