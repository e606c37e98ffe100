using System.Diagnostics;
using System.Net;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Real storage faults under a running service (issue 14, defect 1): the data directory on a small tmpfs that fills
/// up, or becomes unwritable. Writes answer 503 NotReady while reads go on, and resume by themselves within 5 s of
/// the fault clearing, without a restart.
/// </summary>
public sealed class StorageFaultTests
{
    private const string Healed = "storage: writable again";

    [Fact]
    public async Task FullDisk_WritesAnswer503_ThenResumeWithoutRestart_OnceSpaceReturns()
    {
        using var disk = new TmpfsMount("svcr-full", 8);
        var dataDir = Directory.CreateDirectory(Path.Combine(disk.Path, "data")).FullName;
        long before;
        await using (var service = await RegistryProcess.StartAsync(dataDir))
        {
            var driver = new Driver(service);
            before = await driver.CommitChangesAsync(Driver.Region("region:before"));
            var filler = disk.Fill("filler", leaveFree: 1 << 20);
            await FillUntilRefusedAsync(driver);
            await AssertReadsWorkWritesRefusedAsync(service, driver);

            File.Delete(filler);
            var freed = Stopwatch.StartNew();
            await WaitHealedAsync(service, driver, freed);
            var after = await driver.CommitChangesAsync(Driver.Region("region:after"));
            Assert.Equal(before + 1, after);
            Assert.Contains("\"write_ready\":true", await service.Admin.GetStringAsync("/readyz"), StringComparison.Ordinal);
        }

        // Nothing refused is in the log, and what was acknowledged survives a restart.
        await using var restarted = await RegistryProcess.StartAsync(dataDir);
        var head = await new Driver(restarted).HeadAsync();
        Assert.Equal(before + 1, head.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task UnwritableDataDirectory_KeepsWritesRefused_UntilItIsWritableAgain()
    {
        using var disk = new TmpfsMount("svcr-ro", 8);
        var dataDir = Directory.CreateDirectory(Path.Combine(disk.Path, "data")).FullName;
        var logDir = Path.Combine(dataDir, "log");
        await using var service = await RegistryProcess.StartAsync(dataDir);
        var driver = new Driver(service);
        var before = await driver.CommitChangesAsync(Driver.Region("region:before"));

        // A running log keeps its files open, and Linux lets a write through an open descriptor whatever the
        // directory's mode, attributes or mount say (a read-only remount is refused while files are open for
        // writing). A fault closes them; the directory is unwritable when the log comes back to re-open them.
        var filler = disk.Fill("filler", leaveFree: 1 << 20);
        await FillUntilRefusedAsync(driver);
        TmpfsMount.SetImmutable(logDir, immutable: true);
        try
        {
            File.Delete(filler);
            await service.WaitForLineAsync(l => l.Contains("storage: still not writable", StringComparison.Ordinal) && l.Contains("Operation not permitted", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await AssertReadsWorkWritesRefusedAsync(service, driver);
        }
        finally
        {
            TmpfsMount.SetImmutable(logDir, immutable: false);
        }

        var writable = Stopwatch.StartNew();
        await WaitHealedAsync(service, driver, writable);
        Assert.Equal(before + 1, await driver.CommitChangesAsync(Driver.Region("region:after")));
    }

    /// <summary>Proposes large changes until the write plane refuses one with 503 NotReady (the disk is full).</summary>
    private static async Task FillUntilRefusedAsync(Driver driver)
    {
        var attrs = new string('x', 15_000);
        for (var i = 0; i < 200; i++)
        {
            var changes = Enumerable.Range(0, 20).Select(n =>
                "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"region:fill-" + i + "-" + n + "\",\"attrs\":{\"name\":\"" + attrs + "\"}}}").ToArray();
            using var response = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(changes));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var problem = await Driver.JsonAsync(response);
                Assert.Equal("NotReady", problem.GetProperty("code").GetString());
                return;
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Fail("200 large proposals were accepted on a disk with 1 MiB free");
    }

    private static async Task AssertReadsWorkWritesRefusedAsync(RegistryProcess service, Driver driver)
    {
        await driver.HeadAsync();
        using var ready = await service.Admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await Driver.JsonAsync(ready);
        Assert.False(body.GetProperty("write_ready").GetBoolean());
        Assert.Contains("storage_writable", body.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        using var write = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(Driver.Region("region:refused")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
    }

    /// <summary>Waits for the service to report storage writable again; at most 5 s after the fault cleared.</summary>
    private static async Task WaitHealedAsync(RegistryProcess service, Driver driver, Stopwatch sinceCleared)
    {
        try
        {
            await service.WaitForLineAsync(l => l.Contains(Healed, StringComparison.Ordinal), TimeSpan.FromSeconds(5) - sinceCleared.Elapsed);
        }
        catch (TimeoutException)
        {
            using var write = await driver.PostAsync("/registry/proposals", await driver.ProposalJsonAsync(Driver.Region("region:probe")));
            Assert.Fail($"storage not writable 5 s after the fault cleared: /readyz {await service.Admin.GetStringAsync("/readyz")}, a write answers {(int)write.StatusCode} {await write.Content.ReadAsStringAsync()}");
        }

        Console.WriteLine($"writes resumed {sinceCleared.ElapsedMilliseconds} ms after the fault cleared");
        using var response = await service.Admin.GetAsync("/readyz");
        Assert.True((await Driver.JsonAsync(response)).GetProperty("write_ready").GetBoolean());
    }
}
