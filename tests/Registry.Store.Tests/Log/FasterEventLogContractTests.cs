using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Log;

public sealed class FasterEventLogContractTests : EventLogContract, IDisposable
{
    private readonly TempDirectory _dir = new("faster-contract");

    protected override async Task<IEventLog> OpenAsync() =>
        await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = _dir.Path, PageSizeBits = 14, MemorySizeBits = 17 });

    public void Dispose() => _dir.Dispose();
}
