using System.Diagnostics;
using System.Net;
using System.Text;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>The chaos admin endpoint behind <c>[chaos] enabled</c>, for the runbook's storage-latency drill.</summary>
public sealed class ChaosTests
{
    [Fact]
    public async Task ChaosDisabled_AdminChaos_Answers404()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var response = await service.Admin.PostAsync("/admin/chaos", new StringContent("""{"fault":"storage-latency","ms":50}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StorageLatencyInjected_CommitsTakeAtLeastThatLong_ClearRestores()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
        var driver = new Driver(service);
        var id = await driver.ProposeAsync(Driver.Region("region:r"));
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);

        using var inject = await service.Admin.PostAsync("/admin/chaos", new StringContent("""{"fault":"storage-latency","ms":400}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, inject.StatusCode);
        Assert.Contains("registry_storage_append_latency_injected_seconds 0.4", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
        var started = Stopwatch.GetTimestamp();
        await driver.CommitAsync(id);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(400));

        using var clear = await service.Admin.DeleteAsync("/admin/chaos");
        Assert.Equal("""{"fault":null}""", await clear.Content.ReadAsStringAsync());
        Assert.Contains("registry_storage_append_latency_injected_seconds 0\n", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFault_Answers400()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
        using var response = await service.Admin.PostAsync("/admin/chaos", new StringContent("""{"fault":"disk-on-fire","ms":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
