using Registry.Core.Machine;
using Registry.Core.State;

namespace Registry.Store.Tests.Support;

/// <summary>A temp data directory, a chain builder, and helpers to open the store on them and write through it.</summary>
internal sealed class StoreFixture : IDisposable
{
    private int _nextId = 1;

    public TempDirectory Directory { get; } = new("store");

    public ChainBuilder Chain { get; } = new();

    public DataDirectory Data => new(Directory.Path);

    public Task<RegistryStore> OpenAsync(Func<RegistryStoreOptions, RegistryStoreOptions>? configure = null)
    {
        var options = new RegistryStoreOptions { DataDirectory = Directory.Path, LogPageSizeBits = 14, CheckpointOnClose = false };
        return RegistryStore.OpenAsync(configure?.Invoke(options) ?? options, Chain.Genesis);
    }

    /// <summary>Appends <paramref name="writes"/> full writes (propose, approve, commit), publishing after each.</summary>
    public async Task<RegistryState> WriteAsync(RegistryStore store, int writes, int descriptorsPerWrite = 2)
    {
        for (var i = 0; i < writes; i++)
        {
            await store.AppendAsync(Chain.Write(_nextId, descriptorsPerWrite));
            _nextId += descriptorsPerWrite;
            store.OnPublished(Chain.State);
        }

        return Chain.State;
    }

    /// <summary>Appends one proposal and its approval but no commit (an open proposal).</summary>
    public async Task<RegistryState> ProposeOnlyAsync(RegistryStore store)
    {
        var proposed = Chain.Propose(_nextId++);
        await store.AppendAsync([proposed, Chain.Approve(proposed.Proposal.Id)]);
        store.OnPublished(Chain.State);
        return Chain.State;
    }

    public void Dispose()
    {
        Chain.Dispose();
        Directory.Dispose();
    }
}
