using Registry.Store.Checkpoints;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests;

[CollectionDefinition(nameof(TempFolderRedirected), DisableParallelization = true)]
public sealed class TempFolderRedirected;

/// <summary>
/// Amnesia mode writes no file anywhere. The temp folder is redirected (TMPDIR) to a fresh empty directory for the
/// test, and the suite's other tests are kept from running meanwhile, so anything created there would be ours.
/// </summary>
[Collection(nameof(TempFolderRedirected))]
public sealed class AmnesiaTests : IDisposable
{
    private readonly TempDirectory _root = new("amnesia");
    private readonly string? _savedTmp = Environment.GetEnvironmentVariable("TMPDIR");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _savedTmp);
        _root.Dispose();
    }

    [Fact]
    public async Task InMemoryLogAndCheckpoints_UnderLoad_CreateNoFileInDataDirectoryOrTempFolder()
    {
        var dataDir = Directory.CreateDirectory(_root.Combine("data")).FullName;
        var tempDir = Directory.CreateDirectory(_root.Combine("tmp")).FullName;
        Environment.SetEnvironmentVariable("TMPDIR", tempDir);
        Assert.Equal(tempDir, Path.GetTempPath().TrimEnd('/'));

        await using (var log = new InMemoryEventLog())
        {
            var checkpoints = new InMemoryCheckpointStore(keep: 2);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    var position = log.Append(new byte[100 + i]);
                    await log.WaitForDurableAsync(position);
                }
            })));

            for (var i = 0; i < 5; i++)
            {
                var durable = log.Durable;
                checkpoints.Write(new Checkpoint(i, new LogPosition(durable.Address, durable.EntryCount), DateTimeOffset.UnixEpoch, new byte[50_000]));
            }

            Assert.Equal(1600, log.Read(LogPosition.Origin).Count());
            Assert.NotNull(checkpoints.LoadNewest().Checkpoint);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempDir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AmnesiaStore_WritesCheckpointsAndReads_CreateNoFileInDataDirectoryOrTempFolder()
    {
        var dataDir = Directory.CreateDirectory(_root.Combine("data")).FullName;
        var tempDir = Directory.CreateDirectory(_root.Combine("tmp")).FullName;
        Environment.SetEnvironmentVariable("TMPDIR", tempDir);
        using var chain = new ChainBuilder();
        await using (var store = await RegistryStore.OpenAsync(
            new RegistryStoreOptions { Amnesia = true, DataDirectory = dataDir, CheckpointEveryCommits = 2 }, chain.Genesis))
        {
            for (var i = 0; i < 10; i++)
            {
                await store.AppendAsync(chain.Write(i * 3 + 1, 3));
                store.OnPublished(chain.State);
                await store.CheckpointIdleAsync();
            }

            Assert.True(store.CheckpointsWritten >= 4);
            Assert.Equal(10, (await store.ReadCommitsAsync(1, 10).CollectAsync()).Count);
            await store.CheckpointNowAsync();
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempDir, "*", SearchOption.AllDirectories));
    }
}
