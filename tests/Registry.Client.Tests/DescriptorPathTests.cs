using System.Net.Sockets;
using System.Text;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;

namespace Registry.Client.Tests;

/// <summary>
/// How an id goes into <c>/registry/{version}/descriptors/{id}</c> (docs/PROTOCOL.md §11.4), against a real service:
/// the exact request bytes are sent over a socket, so neither HttpClient nor Uri rewrites the path first.
/// </summary>
public sealed class DescriptorPathTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task DescriptorRead_IdsWithSlashes_GoIntoThePathVerbatim()
    {
        var client = fixture.Client();
        var version = await Dev.CommitAsync(client, Dev.Region("region:team/api"), Dev.Region("region:a//b"), Dev.Region("region:trail/"), Dev.Region("b"));
        var prefix = $"/registry/{version}/descriptors/";

        // A dot segment is removed before routing, encoded or not: "region:a/../b" reads the descriptor "b".
        var answers = new List<string>();
        foreach (var path in new[] { "region:team/api", "region%3Ateam/api", "region:team%2Fapi", "region:team%2fapi", "region:a//b", "region:trail/", "region:a/../b", "region:a/%2E%2E/b" })
        {
            answers.Add($"{path} -> {await StatusAndIdAsync(prefix + path)}");
        }

        Assert.Equal(
        [
            "region:team/api -> 200 region:team/api",
            "region%3Ateam/api -> 200 region:team/api",
            "region:team%2Fapi -> 404",
            "region:team%2fapi -> 404",
            "region:a//b -> 200 region:a//b",
            "region:trail/ -> 200 region:trail/",
            "region:a/../b -> 200 b",
            "region:a/%2E%2E/b -> 200 b",
        ],
            answers);
    }

    [Fact]
    public async Task GetDescriptorAsync_IdWithSlashes_ReadsItWithAProofThatVerifies()
    {
        var client = fixture.Client();
        var version = await Dev.CommitAsync(client, Dev.Region("region:sdk/nested/id"));
        var head = await client.GetHeadAsync();

        var proof = await client.GetDescriptorAsync(version, "region:sdk/nested/id");

        Assert.Equal("region:sdk/nested/id", proof.Descriptor.Id);
        Assert.True(RegistryVerifier.VerifyInclusion(proof, head));
    }

    [Theory]
    [InlineData("region:a/../b")]
    [InlineData("region:a/./b")]
    [InlineData("..")]
    public async Task GetDescriptorAsync_IdWithADotSegment_IsRefusedBeforeAnyRequest(string id)
    {
        var client = fixture.Client();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetDescriptorAsync(0, id));
        Assert.Contains("'.' or '..' segment", error.Message, StringComparison.Ordinal);
    }

    // One HTTP/1.1 request with exactly this target; the status and, for 200, the descriptor id answered.
    private async Task<string> StatusAndIdAsync(string target)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", fixture.Service.ApiPort);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = response.Split(' ', 3)[1];
        if (status != "200")
        {
            return status;
        }

        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return $"{status} {document.RootElement.GetProperty("descriptor").GetProperty("id").GetString()}";
    }
}
