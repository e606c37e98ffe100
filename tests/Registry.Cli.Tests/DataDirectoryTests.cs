using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Client;

namespace Registry.Cli.Tests;

/// <summary>verify --data-dir, backup and restore through Registry.Store, on a data directory holding a live registry's chain.</summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public async Task OfflineVerifyBackupRestore_MirroredChain_VerifyPassesUntilTamperedThenNamesTheVersion()
    {
        await using var dev = await DevService.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            await dev.CommitAsync(DevService.Region($"region:dd{i}", $"Region number {i}"));
        }

        var records = new List<Core.Model.CommitRecord>();
        using (var http = new HttpClient())
        {
            await foreach (var record in new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri(dev.Ronctl.Environment["RON_REGISTRY_URL"]) }).ReadLogAsync())
            {
                records.Add(record);
            }
        }

        var data = Path.Combine(dev.Directory, "data");
        await DataDirectoryMirror.WriteAsync(data, DevMaterial.Genesis("ron-dev"), records);
        var ronctl = dev.Ronctl;

        Assert.Contains("result: OK", (await ronctl.ExpectAsync(0, "verify", "--data-dir", "data", "--dev")).Out, StringComparison.Ordinal);

        var backup = await ronctl.ExpectAsync(0, "backup", "--data-dir", "data", "--out", "backup", "--dev", "--json");
        using (var receipt = JsonDocument.Parse(backup.Out))
        {
            Assert.Equal(3, receipt.RootElement.GetProperty("version").GetInt64());
        }

        await ronctl.ExpectAsync(0, "restore", "--from", "backup", "--data-dir", "restored", "--dev");
        using (var restored = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "verify", "--data-dir", "restored", "--dev", "--json")).Out))
        {
            Assert.True(restored.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(3, restored.RootElement.GetProperty("head_version").GetInt64());
            Assert.Equal(records[^1].Hash.ToString(), restored.RootElement.GetProperty("head_hash").GetString());
        }

        var again = await ronctl.ExpectAsync(ExitCodes.Failure, "restore", "--from", "backup", "--data-dir", "restored", "--dev");
        Assert.Contains("already holds data", again.Error, StringComparison.Ordinal);

        // Trust roots of another registry: nothing verifies.
        await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data", "--dev", "--registry", "ron-other");

        // The last entry (version 3's commit) damaged: the replay verifies versions 1 and 2 and names 3.
        DataDirectoryMirror.Tamper(data, "Region number 3", last: true);
        var tampered = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data", "--dev");
        Assert.True(tampered.Error.Contains("verification failed at version 3", StringComparison.Ordinal), tampered.ToString());
        Assert.Contains("result: FAILED", tampered.Out, StringComparison.Ordinal);

        // Damage inside the log (version 2's proposal, valid entries after it): the store refuses to read the log at all,
        // so nothing from version 1 on counts as verified.
        DataDirectoryMirror.Tamper(data, "Region number 2");
        var inside = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "verify", "--data-dir", "data", "--dev");
        Assert.True(inside.Error.Contains("verification failed at version 1", StringComparison.Ordinal) && inside.Error.Contains("entry checksum mismatch", StringComparison.Ordinal), inside.ToString());
        await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "restore", "--from", "data", "--data-dir", "restored-from-bad", "--dev");
        Assert.False(Directory.Exists(Path.Combine(dev.Directory, "restored-from-bad", "log")));
    }

    [Fact]
    public async Task Backup_RunningServiceWithoutBackupEndpoint_ExitsNotFoundExplaining()
    {
        await using var dev = await DevService.StartAsync(writeDevKeys: false);
        var result = await dev.Ronctl.ExpectAsync(ExitCodes.NotFound, "backup", "--out", "hot");
        Assert.Contains("does not offer hot backup", result.Error, StringComparison.Ordinal);
    }
}
