using System.Net;
using System.Net.Sockets;
using System.Text;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Thousands of malformed bodies, headers, paths and raw request lines (seeded, so a failure
/// reproduces): never a 5xx, and nothing changes except through a request the service accepted.
/// </summary>
public sealed class FuzzTests
{
    private const int Requests = 3000;
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    private static readonly string[] s_paths =
    [
        "/registry/head", "/registry/0", "/registry/-1", "/registry/99999999999999999999", "/registry/log?from=-5&limit=x",
        "/registry/0/descriptors/", "/registry/0/descriptors/%00", "/registry/proposals?status=bogus", "/registry/proposals/sha256:",
        "/registry/approvals/", "/registry/approvals/sha256:" + new string('f', 64), "/registry/commit/%2e%2e", "/registry/stream?from=-1",
        "/registry/proposals", "/registry/commit/sha256:" + new string('0', 64), "/%ff%fe", "/registry//head", "/registry/head/../head",
    ];

    [Fact]
    public async Task MalformedRequests_NeverServerErrorAndOnlyAcceptedOnesChangeState()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:r"));
        var valid = Encoding.UTF8.GetBytes(await driver.ProposalJsonAsync(Driver.Node("node:f", "region:r")));
        var headBefore = (await driver.HeadAsync()).GetProperty("hash").GetString();
        var random = new Random(20261122);
        var accepted = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < Requests; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(Pick(random, s_methods)), Pick(random, s_paths));
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && random.Next(4) != 0)
            {
                request.Content = new ByteArrayContent(Mutate(random, valid));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, ["application/json", "application/json; charset=utf-8", "text/plain", "application/jso", "", "application/json;;;"]));
            }

            request.Headers.TryAddWithoutValidation("Authorization", Pick(random, ["Bearer " + Driver.Token, "Bearer " + Driver.Token, "Bearer x", "Basic abc", "Bearer rcap1.." + new string('A', random.Next(200))]));
            request.Headers.TryAddWithoutValidation("X-Corr-ID", Pick(random, ["ok-1", "", new string('z', 500), "bad id with spaces", "id;<script>"]));
            request.Headers.TryAddWithoutValidation("Last-Event-ID", Pick(random, ["", "5", "-1", "nope"]));

            using var response = await service.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True((int)response.StatusCode < 500, $"request {i}: {request.Method} {request.RequestUri} -> {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add((await Driver.JsonAsync(response)).GetProperty("proposal_id").GetString()!);
            }
        }

        foreach (var raw in RawRequests())
        {
            Assert.DoesNotMatch(@"^HTTP/1\.[01] 5", await SendRawAsync(service.ApiPort, raw));
        }

        // The one 5xx a client can provoke: Kestrel answers an HTTP version it does not speak with
        // 505 at the protocol layer (RFC 9110 §15.6.6), before any of the service's code runs.
        Assert.StartsWith("HTTP/1.1 505", await SendRawAsync(service.ApiPort, "GET /registry/head HTTP/9.9\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);

        Assert.Equal(headBefore, (await driver.HeadAsync()).GetProperty("hash").GetString());
        var open = (await Driver.JsonAsync(await service.Api.GetAsync("/registry/proposals"))).GetProperty("proposals")
            .EnumerateArray().Select(p => p.GetProperty("proposal_id").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(accepted, open);
    }

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = valid.ToList();
        switch (random.Next(6))
        {
            case 0:
                return bytes.Take(random.Next(bytes.Count)).ToArray();
            case 1:
                for (var k = random.Next(1, 8); k > 0; k--)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                return [.. bytes];
            case 2:
                bytes.InsertRange(random.Next(bytes.Count), Encoding.UTF8.GetBytes(Pick(random, ["{", "}", "[", "\"", ",", "\\u", "1e309", "-0", "null", "\"dup\":1,\"dup\":2,", "\u0000"])));
                return [.. bytes];
            case 3:
                return Encoding.UTF8.GetBytes(new string('[', random.Next(20, 200)) + new string(']', random.Next(20, 200)));
            case 4:
                var noise = new byte[random.Next(0, 2048)];
                random.NextBytes(noise);
                return noise;
            default:
                return [.. valid];
        }
    }

    private static IEnumerable<string> RawRequests() =>
    [
        "GET /registry/head HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST /registry/proposals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n",
        "BREW /registry/head HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /registry/head HTTP/1.1\r\nHost: x\r\nX-Corr-ID: \u00e9\u00ff\r\n\r\n",
        "GET " + new string('a', 20000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /registry/head HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: {new string('v', 100)}\r\n")) + "\r\n",
    ];

    private static async Task<string> SendRawAsync(int port, string raw)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
