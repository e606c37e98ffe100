using Registry.Store.Log;

namespace Registry.Store.Tests.Log;

public sealed class InMemoryEventLogContractTests : EventLogContract
{
    protected override Task<IEventLog> OpenAsync() => Task.FromResult<IEventLog>(new InMemoryEventLog());
}
