using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>verify --data-dir, backup and restore (Registry.Store) on a real svc-registry's data directory.</summary>
public sealed class DataDirectoryTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OfflineVerifyBackupRestore_ServiceDataDirectory_VerifiesUntilTamperedThenNamesTheVersion()
    {
        await using var dev = await DevService.StartAsync(persistent: true);
        for (var i = 1; i <= 3; i++)
        {
            await dev.CommitAsync(DevService.Region($"region:dd{i}", $"Region number {i}"));
        }

        var head = (await dev.Ronctl.ExpectAsync(0, "registry", "head", "--json")).Out;
        var ronctl = dev.Ronctl;

        // While the service runs, only it may touch the directory: offline verify refuses, and backup asks the service (hot backup).
        Assert.Contains("Stop svc-registry first", (await ronctl.ExpectAsync(ExitCodes.Failure, "verify", "--data-dir", "data")).Error, StringComparison.Ordinal);
        // The service writes it under its backup directory (default <data dir>/backups) and ronctl moves it to the destination.
        using (var hot = JsonDocument.Parse((await ronctl.ExpectAsync(0, "backup", "--data-dir", "data", "--destination", "hot", "--json")).Out))
        {
            Assert.Equal(3, hot.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(Path.Combine(dev.Directory, "hot"), hot.RootElement.GetProperty("directory").GetString());
            Assert.StartsWith(Path.Combine(dev.Directory, "hot") + "/", hot.RootElement.GetProperty("checkpoint").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(dev.Directory, "data", "backups")));
        Assert.Contains("not a new or empty directory", (await ronctl.ExpectAsync(ExitCodes.Usage, "backup", "--data-dir", "data", "--destination", "hot")).Error, StringComparison.Ordinal);

        Assert.Equal(0, await dev.Service.StopAsync());
        Assert.Contains("result: OK", (await ronctl.ExpectAsync(0, "verify", "--data-dir", "hot", "--dev")).Out, StringComparison.Ordinal);

        // Trust roots come from the dev material the service wrote into its data directory.
        Assert.Contains("result: OK", (await ronctl.ExpectAsync(0, "verify", "--data-dir", "data")).Out, StringComparison.Ordinal);
        using (var receipt = JsonDocument.Parse((await ronctl.ExpectAsync(0, "backup", "--data-dir", "data", "--out", "backup", "--json")).Out))
        {
            Assert.Equal(3, receipt.RootElement.GetProperty("version").GetInt64());
        }

        await ronctl.ExpectAsync(0, "restore", "--from", "backup", "--data-dir", "restored", "--dev");
        using (var restored = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "verify", "--data-dir", "restored", "--dev", "--json")).Out))
        {
            Assert.True(restored.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(3, restored.RootElement.GetProperty("head_version").GetInt64());
        }

        Assert.Contains("already holds data", (await ronctl.ExpectAsync(ExitCodes.Failure, "restore", "--from", "backup", "--data-dir", "restored", "--dev")).Error, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data", "--dev", "--registry", "ron-other");

        // The restored directory serves the same HEAD.
        await using (var again = await RegistryProcess.StartAsync(dev.Directory, ["--data-dir", Path.Combine(dev.Directory, "restored")]))
        {
            ronctl.Environment["RON_REGISTRY_URL"] = $"http://127.0.0.1:{again.ApiPort}";
            using var served = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "head", "--json")).Out);
            using var original = JsonDocument.Parse(head);
            Assert.Equal(original.RootElement.GetProperty("hash").GetString(), served.RootElement.GetProperty("hash").GetString());
            Assert.Equal(0, await again.StopAsync());
        }

        // The last entry damaged: the replay verifies versions 1 and 2 and names 3.
        LogSurgery.Tamper(dev.DataDirectory, "Region number 3", last: true);
        var tampered = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data");
        Assert.True(tampered.Error.Contains("verification failed at version 3", StringComparison.Ordinal), tampered.ToString());
        Assert.Contains("result: FAILED", tampered.Out, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "restore", "--from", "data", "--data-dir", "restored-from-bad");
        Assert.False(Directory.Exists(Path.Combine(dev.Directory, "restored-from-bad", "log")));

        // Damage inside the log (version 2's proposal, valid entries after it): the service refuses to open it, and
        // the verifier still replays and verifies version 1 before it, so it names version 2 and the file.
        LogSurgery.Tamper(dev.DataDirectory, "Region number 2");
        var inside = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data");
        Assert.True(inside.Error.Contains("verification failed at version 2", StringComparison.Ordinal) && inside.Error.Contains("entry checksum mismatch", StringComparison.Ordinal)
            && inside.Error.Contains("events.log.0", StringComparison.Ordinal), inside.ToString());
        Assert.Contains("1 commits verified", inside.Out, StringComparison.Ordinal);
    }
}
