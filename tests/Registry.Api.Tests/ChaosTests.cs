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
        using var response = await SendAsync(service, HttpMethod.Post, """{"fault":"storage-latency","ms":50}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ChaosWithoutAdminScope_EveryMethod_401Or403AndNothingInjected()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
        var writeOnly = Registry.Core.Auth.CapabilityToken.Attenuate(Driver.Token, "scope=registry:propose,registry:approve,registry:commit");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete })
        {
            var body = method == HttpMethod.Post ? """{"fault":"storage-latency","ms":50}""" : null;
            using var anonymous = await SendAsync(service, method, body, token: string.Empty);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
            using var forbidden = await SendAsync(service, method, body, token: writeOnly);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Contains("registry:admin", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains("registry_storage_append_latency_injected_seconds 0\n", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
        using var state = await SendAsync(service, HttpMethod.Get, null);
        Assert.Equal("""{"fault":null}""", await state.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StorageLatencyInjected_CommitsTakeAtLeastThatLong_ClearRestores()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
        var driver = new Driver(service);
        var id = await driver.ProposeAsync(Driver.Region("region:r"));
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);

        using var inject = await SendAsync(service, HttpMethod.Post, """{"fault":"storage-latency","ms":400}""");
        Assert.Equal(HttpStatusCode.OK, inject.StatusCode);
        Assert.Contains("registry_storage_append_latency_injected_seconds 0.4", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
        var started = Stopwatch.GetTimestamp();
        await driver.CommitAsync(id);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(400));

        using var clear = await SendAsync(service, HttpMethod.Delete, null);
        Assert.Equal("""{"fault":null}""", await clear.Content.ReadAsStringAsync());
        Assert.Contains("registry_storage_append_latency_injected_seconds 0\n", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFault_Answers400()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
        using var response = await SendAsync(service, HttpMethod.Post, """{"fault":"disk-on-fire","ms":1}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>A request to <c>/admin/chaos</c> with <paramref name="token"/> (default: the dev token, which has <c>registry:admin</c>; empty: none).</summary>
    private static Task<HttpResponseMessage> SendAsync(RegistryProcess service, HttpMethod method, string? json, string? token = null)
    {
        var request = new HttpRequestMessage(method, "/admin/chaos");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if ((token ?? Driver.Token) is { Length: > 0 } bearer)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return service.Admin.SendAsync(request);
    }
}
