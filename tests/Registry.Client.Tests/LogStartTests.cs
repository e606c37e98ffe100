using System.Net;
using System.Text.Json;
using Registry.Client.Tests.Support;

namespace Registry.Client.Tests;

/// <summary><c>/registry/log</c> starts at version 1: genesis is not in it (docs/PROTOCOL.md §11.3).</summary>
public sealed class LogStartTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Log_FromOne_StartsAfterGenesis_AndFromZeroIsMalformed()
    {
        var client = fixture.Client();
        await Dev.CommitAsync(client, Dev.Region("region:log-start"));
        var head = await client.GetHeadAsync();
        var http = fixture.Service.Api;

        using var zero = await http.GetAsync("/registry/log?from=0");
        using var negative = await http.GetAsync("/registry/log?from=-1");
        using var genesis = JsonDocument.Parse(await http.GetStringAsync("/registry/0"));
        using var byDefault = JsonDocument.Parse(await http.GetStringAsync("/registry/log?limit=1"));
        using var past = JsonDocument.Parse(await http.GetStringAsync($"/registry/log?from={head.Version + 1}"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (zero.StatusCode, negative.StatusCode));
        using var problem = JsonDocument.Parse(await zero.Content.ReadAsStringAsync());
        Assert.Equal("Malformed", problem.RootElement.GetProperty("code").GetString());
        var first = Assert.Single(byDefault.RootElement.EnumerateArray());
        Assert.Equal(1, first.GetProperty("version").GetInt64());
        Assert.Equal(genesis.RootElement.GetProperty("hash").GetString(), first.GetProperty("prev_hash").GetString());
        Assert.Equal(0, genesis.RootElement.GetProperty("commit").GetProperty("version").GetInt64());
        Assert.Equal(0, past.RootElement.GetArrayLength());
        Assert.Equal((await client.GetGenesisAsync()).Hash.ToString(), genesis.RootElement.GetProperty("hash").GetString());
    }
}
