using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Issue 14 defect 5: which error responses Kestrel gives before any of the service's code runs (an empty body,
/// no problem+json), exactly as docs/API.md lists them, and that everything the application does see gets
/// problem+json with a code. Raw sockets on both listeners, because HttpClient will not send these bytes.
/// </summary>
public sealed class ServerLayerTests
{
    /// <summary>docs/API.md's table row (first cell) -> requests that must get exactly that row's status from Kestrel.</summary>
    private static readonly Dictionary<string, (int Status, byte[][] Requests)> s_serverLayer = new(StringComparer.Ordinal)
    {
        ["NUL in the request target, raw or percent-encoded (`%00`)"] = (400, [Req("GET /registry/he\0ad HTTP/1.1\r\nHost: x\r\n\r\n"), Req("GET /registry/%00 HTTP/1.1\r\nHost: x\r\n\r\n")]),
        ["a raw byte above 0x7F in the request target (unencoded non-ASCII)"] = (400, [Req("GET /registry/h\u00e9ad HTTP/1.1\r\nHost: x\r\n\r\n"), Req("GET /registry/\u00ff HTTP/1.1\r\nHost: x\r\n\r\n")]),
        ["a request line longer than 8 KiB (Kestrel's `MaxRequestLineSize`)"] = (414, [Req("GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")]),
        ["request headers larger than 32 KiB in total (Kestrel's `MaxRequestHeadersTotalSize`)"] = (431, [Req("GET /registry/head HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"X-H{i}: {new string('v', 1000)}\r\n")) + "\r\n")]),
        ["an HTTP version other than `HTTP/1.0` and `HTTP/1.1`, e.g. `HTTP/1.2` or a lowercase `http/1.1`"] = (505, [Req("GET /registry/head HTTP/1.2\r\nHost: x\r\n\r\n"), Req("GET /registry/head http/1.1\r\nHost: x\r\n\r\n"), Req("GET /registry/head HTTP/9.9\r\nHost: x\r\n\r\n")]),
        ["the asterisk-form target with a method other than OPTIONS (`GET *`)"] = (405, [Req("GET * HTTP/1.1\r\nHost: x\r\n\r\n"), Req("POST * HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")]),
        ["NUL in a header value (e.g. in `Authorization`)"] = (400, [Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ab\0cd\r\nContent-Length: 0\r\n\r\n"), Req("GET /registry/head HTTP/1.1\r\nHost: x\r\nX-Corr-ID: a\0b\r\n\r\n")]),
        ["a header value that is not valid UTF-8"] = (400, [Req("GET /registry/head HTTP/1.1\r\nHost: x\r\nX-Corr-ID: \u00ff\u00fe\r\n\r\n")]),
        ["a malformed request line: a bad method token, a space inside the target, an HTTP/0.9 line"] = (400, [Req("G@T /registry/head HTTP/1.1\r\nHost: x\r\n\r\n"), Req("GET /registry/ head HTTP/1.1\r\nHost: x\r\n\r\n"), Req("GET /registry/head\r\n\r\n")]),
        ["no `Host` on HTTP/1.1, or an authority-form (`CONNECT`) target"] = (400, [Req("GET /registry/head HTTP/1.1\r\n\r\n"), Req("CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n")]),
        ["an unparsable `Content-Length`, or a `Transfer-Encoding` whose last coding is not `chunked`"] = (400, [Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")]),
        ["whitespace between a header name and its colon"] = (400, [Req("GET /registry/head HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n")]),
        ["bytes that are not HTTP/1.x at all (e.g. a TLS ClientHello on a plain listener)"] = (400, [[0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]]),
    };

    /// <summary>Hostile, but parsed by Kestrel: the application answers, so the answer is problem+json with a code.</summary>
    private static readonly byte[][] s_applicationSees =
    [
        Req("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
        Req("GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n"),
        Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ab\u0001cd\r\nContent-Length: 0\r\n\r\n"),
        Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00c3\u00a9\r\nContent-Length: 0\r\n\r\n"),
        Req("BREW /registry/head HTTP/1.1\r\nHost: x\r\n\r\n"),
        Req("GET /nope HTTP/1.0\r\n\r\n"),
        Req("GET /" + new string('a', 8000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        Req("POST /registry/proposals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        Req("POST /admin/backup HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
        Req("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
    ];

    [Fact]
    public async Task ServerLayerErrors_AreExactlyTheOnesApiMdLists_OnBothListeners()
    {
        var documented = DocumentedRows();
        Assert.Equal(s_serverLayer.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        foreach (var (row, (status, requests)) in s_serverLayer)
        {
            Assert.StartsWith(status.ToString(System.Globalization.CultureInfo.InvariantCulture), documented[row], StringComparison.Ordinal);
            foreach (var port in new[] { service.ApiPort, service.AdminPort })
            {
                foreach (var request in requests)
                {
                    var response = await RawHttp.SendAsync(port, request);
                    Assert.True(response.Status == status, $"{row} (port {port}): {response.Status}");
                    Assert.Equal(string.Empty, response.Body);
                    Assert.Equal("0", response.Headers["content-length"]);
                    Assert.False(response.IsProblem);
                    if (status == 405)
                    {
                        Assert.Equal("OPTIONS", response.Headers["allow"]);
                    }
                }
            }
        }

        // None of these reached the application: its request counter saw none of them.
        Assert.DoesNotContain("code=\"505\"", await service.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileButParsedRequests_GetProblemJsonWithACode()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        foreach (var port in new[] { service.ApiPort, service.AdminPort })
        {
            foreach (var request in s_applicationSees)
            {
                var response = await RawHttp.SendAsync(port, request);
                var what = $"{Encoding.Latin1.GetString(request)[..Math.Min(request.Length, 40)]} (port {port})";
                Assert.True(response.Status is >= 400 and < 500, $"{what}: {response.Status}");
                Assert.True(response.IsProblem, $"{what}: {response.ContentType}");
                Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString()));
            }
        }
    }

    private static byte[] Req(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>The rows of the table under docs/API.md's "Answered by the HTTP server" heading: first cell -> second cell.</summary>
    private static Dictionary<string, string> DocumentedRows()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "API.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith('#') && l.Contains("Answered by the HTTP server", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/API.md has no 'Answered by the HTTP server' section");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            rows[cells[1]] = cells[2];
        }

        return rows;
    }
}
