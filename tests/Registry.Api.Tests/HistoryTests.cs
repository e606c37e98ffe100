using System.Net;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Every committed version stays readable across a restart, and after one the read window and anchors come back into
/// memory in the background (the service logs how many commits it replayed).
/// </summary>
public sealed class HistoryTests
{
    [Fact]
    public async Task Restart_RebuildsWindowAndAnchors_EveryVersionServesTheSameBytes()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-history-").FullName;
        // A small window and anchor interval, so 40 commits put versions behind the window, on anchors and between them.
        var env = new Dictionary<string, string> { ["SVCR_STORAGE__HISTORY_WINDOW"] = "8", ["SVCR_STORAGE__HISTORY_ANCHOR_INTERVAL"] = "16" };
        const int commits = 40;
        var bodies = new Dictionary<int, byte[]>();
        await using (var first = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            var driver = new Driver(first);
            for (var i = 1; i <= commits; i++)
            {
                await driver.CommitChangesAsync(Driver.Region($"region:r{i}"));
            }

            for (var v = 0; v <= commits; v++)
            {
                bodies[v] = await first.Api.GetByteArrayAsync($"/registry/{v}");
            }

            await first.KillAsync();
        }

        await using var again = await RegistryProcess.StartAsync(dataDir, env: env);
        var line = await again.WaitForLineAsync(l => l.Contains("history: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains($"history: {commits - 1} commits replayed behind HEAD {commits} ", line, StringComparison.Ordinal);
        for (var v = commits; v >= 0; v--)
        {
            using var response = await again.Api.GetAsync($"/registry/{v}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(bodies[v], await response.Content.ReadAsByteArrayAsync());
        }

        using var past = await again.Api.GetAsync($"/registry/{commits + 1}");
        Assert.Equal(HttpStatusCode.NotFound, past.StatusCode);
    }
}
