using System.Net;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// <c>--amnesia</c> runs the service's one storage path over Registry.Store's in-memory log and checkpoints: commits,
/// checkpoints, history reads and a clean stop, and no file anywhere (working directory, where the default data
/// directory would be, and the process's temp folder, redirected to an empty one).
/// </summary>
public sealed class AmnesiaTests
{
    [Fact]
    public async Task Amnesia_CommitsCheckpointsAndReads_WritesNoFileInWorkingDirectoryOrTempFolder()
    {
        var workingDir = Directory.CreateTempSubdirectory("svcr-amnesia-").FullName;
        var tempDir = Directory.CreateTempSubdirectory("svcr-amnesia-tmp-").FullName;
        var env = new Dictionary<string, string>
        {
            ["TMPDIR"] = tempDir,
            // The runtime's own diagnostics socket would live in TMPDIR; it is not the service's file.
            ["DOTNET_EnableDiagnostics"] = "0",
            ["SVCR_STORAGE__CHECKPOINT_EVERY_COMMITS"] = "1",
            ["SVCR_STORAGE__HISTORY_WINDOW"] = "8",
            ["SVCR_STORAGE__HISTORY_ANCHOR_INTERVAL"] = "16",
        };
        await using (var service = await RegistryProcess.StartAsync(dataDir: workingDir, args: ["--amnesia"], env: env))
        {
            Assert.Contains(service.Lines, l => l.Contains("storage=memory (amnesia)", StringComparison.Ordinal));
            var driver = new Driver(service);
            for (var i = 1; i <= 12; i++)
            {
                await driver.CommitChangesAsync(Driver.Region($"region:a{i}"));
            }

            // Version 1 is behind the eight-version window: rebuilt from the store's in-memory log.
            using var old = await service.Api.GetAsync("/registry/1/descriptors/region:a1");
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
            using var log = await service.Api.GetAsync("/registry/log?from=1&limit=10");
            Assert.Equal(10, (await Driver.JsonAsync(log)).GetArrayLength());
            Assert.Equal(0, await service.StopAsync());
            Assert.Contains(service.Lines, l => l.Contains("shutdown_complete=1", StringComparison.Ordinal));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(workingDir, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempDir, "*", SearchOption.AllDirectories));
    }
}
