using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Thousands of malformed bodies, headers, paths, chunked framings and raw request lines on both listeners
/// (seeded, so a failure reproduces): no 5xx but the documented ones (503 NotReady/ReadOnly from the service,
/// 505 from Kestrel), problem+json on every error the application answers (an empty body only for the
/// Kestrel-level refusals docs/API.md lists), and nothing changes except through a request the service accepted.
/// </summary>
public sealed class FuzzTests
{
    private const int Requests = 3000;
    private const int AdminRequests = 600;
    private const int RawChunked = 300;
    private const int RawLines = 300;

    /// <summary>The statuses Kestrel answers itself, with an empty body, before the application runs (docs/API.md).</summary>
    private static readonly int[] s_serverLayerStatuses = [400, 405, 414, 431, 505];
    private static readonly string[] s_adminPaths =
    [
        "/healthz", "/readyz", "/version", "/metrics", "/admin/backup", "/admin/chaos", "/admin/chaos/x", "/admin", "/", "/admin/backup/../chaos",
        "/registry/head", "/%00", "/admin/%ff",
    ];
    private static readonly string[] s_bodyPaths =
    [
        "/registry/proposals", "/registry/approvals/sha256:" + new string('a', 64), "/registry/commit/sha256:" + new string('b', 64), "/registry/head", "/admin/backup", "/admin/chaos",
    ];
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
        // Durable and with chaos on, so that the admin listener's write endpoints (backup, chaos) are live targets.
        await using var service = await RegistryProcess.StartAsync(env: new Dictionary<string, string> { ["SVCR_CHAOS__ENABLED"] = "true" });
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
            await AssertApplicationAnswerAsync(response, $"request {i}: {request.Method} {request.RequestUri}");
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add((await Driver.JsonAsync(response)).GetProperty("proposal_id").GetString()!);
            }
        }

        // The admin listener: the same mutations against its routes, with and without the admin scope.
        var writeOnly = Registry.Core.Auth.CapabilityToken.Attenuate(Driver.Token, "scope=registry:propose,registry:approve,registry:commit");
        var backups = 0;
        for (var i = 0; i < AdminRequests; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(Pick(random, s_methods)), Pick(random, s_adminPaths));
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && random.Next(3) != 0)
            {
                var body = random.Next(5) == 0 ? Encoding.UTF8.GetBytes(Pick(random, ["{}", "{\"destination\":\"/tmp/fuzz\"}", "{\"fault\":\"storage-latency\",\"ms\":0}", "{\"fault\":\"storage-latency\",\"ms\":-1}", "[]", "null"])) : Mutate(random, valid);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, ["application/json", "text/plain", ""]));
            }

            request.Headers.TryAddWithoutValidation("Authorization", Pick(random, ["Bearer " + Driver.Token, "Bearer " + writeOnly, "Bearer x", "", "Bearer rcap1." + new string('A', random.Next(300))]));
            using var response = await service.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await AssertApplicationAnswerAsync(response, $"admin request {i}: {request.Method} {request.RequestUri}");
            if (response.StatusCode == HttpStatusCode.OK && request.Method == HttpMethod.Post && request.RequestUri!.OriginalString == "/admin/backup")
            {
                backups++;
            }
        }

        // Chunked bodies with bad and overflowing sizes, and bad chunk suffixes, on both listeners.
        var malformedBodies = 0;
        for (var i = 0; i < RawChunked; i++)
        {
            var port = random.Next(2) == 0 ? service.ApiPort : service.AdminPort;
            var raw = RawHttp.Chunked(Pick(random, s_bodyPaths), BadChunkSize(random), random.Next(4) == 0 ? null : Driver.Token, Encoding.Latin1.GetString(Mutate(random, valid)).Replace("\r\n", "\n", StringComparison.Ordinal));
            var answer = await RawHttp.SendAsync(port, raw);
            AssertRawAnswer(answer, $"chunked {i} on port {port}: {raw[..Math.Min(raw.Length, 80)]}");
            malformedBodies += answer.Status == 400 && answer.IsProblem ? 1 : 0;
        }

        // Raw request lines: methods, targets and versions HttpClient would never send.
        for (var i = 0; i < RawLines; i++)
        {
            var port = random.Next(2) == 0 ? service.ApiPort : service.AdminPort;
            var raw = RawRequestLine(random);
            AssertRawAnswer(await RawHttp.SendAsync(port, raw), $"raw line {i} on port {port}: {Encoding.Latin1.GetString(raw)[..Math.Min(raw.Length, 80)]}");
        }

        foreach (var raw in RawRequests())
        {
            Assert.DoesNotMatch(@"^HTTP/1\.[01] 5", await SendRawAsync(service.ApiPort, raw));
            Assert.DoesNotMatch(@"^HTTP/1\.[01] 5", await SendRawAsync(service.AdminPort, raw));
        }

        // The one 5xx a client can provoke: Kestrel answers an HTTP version it does not speak with
        // 505 at the protocol layer (RFC 9110 §15.6.6), before any of the service's code runs.
        Assert.StartsWith("HTTP/1.1 505", await SendRawAsync(service.ApiPort, "GET /registry/head HTTP/9.9\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);

        Assert.Equal(headBefore, (await driver.HeadAsync()).GetProperty("hash").GetString());
        var open = (await Driver.JsonAsync(await service.Api.GetAsync("/registry/proposals"))).GetProperty("proposals")
            .EnumerateArray().Select(p => p.GetProperty("proposal_id").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(accepted, open);

        // The only admin writes that can have been accepted: backups (each its own new directory) and chaos with
        // ms = 0 or DELETE (no fault either way).
        // The chunked loop must actually reach the body readers (not only routing and auth refusals).
        Assert.True(malformedBodies > 0, $"no chunked body was refused as Malformed ({malformedBodies})");
        var backupDir = Path.Combine(service.DataDir, "backups");
        Assert.Equal(backups, Directory.Exists(backupDir) ? Directory.GetDirectories(backupDir).Length : 0);
        Assert.False(Directory.Exists("/tmp/fuzz"));
        using var chaos = new HttpRequestMessage(HttpMethod.Get, "/admin/chaos");
        chaos.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Driver.Token);
        Assert.Equal("{\"fault\":null}", await (await service.Admin.SendAsync(chaos)).Content.ReadAsStringAsync());
        Assert.DoesNotContain(service.Lines, l => l.Contains("unhandled error", StringComparison.Ordinal));
    }

    /// <summary>An answer from the application: no 5xx but 503 NotReady/ReadOnly, and every error is problem+json with a code.</summary>
    private static async Task AssertApplicationAnswerAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500 || status == 503, $"{what} -> {status}");
        if (status >= 400 && !response.Headers.Contains("X-Corr-ID") && s_serverLayerStatuses.Contains(status)
            && response.Content.Headers.ContentType is null && (await response.Content.ReadAsByteArrayAsync()).Length == 0)
        {
            // Kestrel's own refusal (e.g. %00 in the path): the application, which tags every answer with
            // X-Corr-ID, never saw the request (docs/API.md, "Answered by the HTTP server").
            return;
        }

        if (status >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what} -> {status} as {response.Content.Headers.ContentType}");
            if (response.RequestMessage?.Method != HttpMethod.Head)
            {
                var code = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
                Assert.True(status != 503 || code is "NotReady" or "ReadOnly", $"{what} -> 503 {code}");
            }
        }
    }

    /// <summary>A raw answer: either the application's (rules above) or one of Kestrel's documented empty-bodied refusals.</summary>
    private static void AssertRawAnswer(RawResponse response, string what)
    {
        Assert.True(response.Status < 500 || response.Status is 503 or 505, $"{what} -> {response.Status}");
        if (response.Status < 400)
        {
            return;
        }

        if (response.IsProblem)
        {
            var code = JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString();
            Assert.True(response.Status != 503 || code is "NotReady" or "ReadOnly", $"{what} -> 503 {code}");
        }
        else
        {
            Assert.True(s_serverLayerStatuses.Contains(response.Status) && response.Body.Length == 0 && !response.Headers.ContainsKey("x-corr-id"), $"{what} -> {response.Status} {response.ContentType} '{response.Body}' (neither problem+json nor a documented server-layer refusal)");
        }
    }

    private static string BadChunkSize(Random random)
    {
        const string hex = "0123456789abcdefABCDEF";
        switch (random.Next(5))
        {
            case 0:
                // 9 to 24 hex digits, the first non-zero: more than Kestrel's chunk-size integer holds.
                return "123456789abcdef"[random.Next(15)] + new string(Enumerable.Range(0, random.Next(8, 24)).Select(_ => hex[random.Next(hex.Length)]).ToArray());
            case 1:
                return Pick(random, ["ffffffffffffffffff", "80000000", "7fffffffffffffff", "-1", "-0", "+2", "0x2", "zz", "", " ", "\t2"]);
            case 2:
                // A valid prefix followed by a byte that is not hex, ';' or CR.
                return random.Next(1, 4096).ToString("x", System.Globalization.CultureInfo.InvariantCulture) + Pick(random, ["g", "z", ",", "\u0000", "\u00ff", "."]);
            case 3:
                // Valid and too small: the chunk's data does not end where the size says (bad chunk suffix).
                return "1";
            default:
                return new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next(0x21, 0x7f)).Where(c => !Uri.IsHexDigit(c) && c != ';').DefaultIfEmpty('q').ToArray());
        }
    }

    private static byte[] RawRequestLine(Random random)
    {
        var method = Pick(random, ["GET", "POST", "DELETE", "BREW", "G@T", "get", "", "GET GET", "\u0000GET", "OPTIONS", "CONNECT", "PRI"]);
        var target = Pick(random, ["/registry/head", "/admin/backup", "*", "/registry/he\u0000ad", "/r\u00e9gistry", "/\u00ff\u00fe", "/%00", "/a b", "http://x/registry/head", "x:80", "", "/" + new string('a', random.Next(7000, 9000)), "/registry/head?\u0001"]);
        var version = Pick(random, ["HTTP/1.1", "HTTP/1.0", "HTTP/1.2", "http/1.1", "HTTP/2.0", "HTTP/1.10", "HTTP/1", "HTTP/01.1", "HTTP/1.1 ", "HTTP\\1.1", ""]);
        var header = Pick(random, ["Host: x", "Host: x\r\nAuthorization: Bearer a\u0000b", "Host: x\r\nX-Corr-ID: \u00ff", "Host: x\r\nX-A : b", "Host: x\r\nContent-Length: -1", "", "Host: x\r\nTransfer-Encoding: chunked, gzip", "Host: x\r\nContent-Length: 0\r\nContent-Length: 1"]);
        var line = method + " " + target + " " + version + "\r\n" + (header.Length > 0 ? header + "\r\n" : string.Empty) + "Connection: close\r\n\r\n";
        return Encoding.Latin1.GetBytes(line);
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
