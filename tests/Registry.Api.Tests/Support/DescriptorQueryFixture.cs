using Registry.Testing;

namespace Registry.Api.Tests.Support;

/// <summary>
/// One service for <see cref="DescriptorQueryTests"/>: v1 regions a and b, 25 nodes in each, svc:x in b; v2 deletes node:a-00.
/// </summary>
public sealed class DescriptorQueryFixture : IAsyncLifetime
{
    internal RegistryProcess Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(Service);
        var changes = new List<string> { Driver.Region("region:a", "A"), Driver.Region("region:b", "B") };
        for (var i = 0; i < 25; i++)
        {
            changes.Add(Driver.Node($"node:a-{i:00}", "region:a"));
            changes.Add(Driver.Node($"node:b-{i:00}", "region:b"));
        }

        changes.Add("""{"op":"put","descriptor":{"kind":"service","id":"svc:x","attrs":{"endpoints":["https://x.example/"],"region":"region:b"}}}""");
        await driver.CommitChangesAsync([.. changes]);
        await driver.CommitChangesAsync(Driver.Delete("node:a-00"));
    }

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
