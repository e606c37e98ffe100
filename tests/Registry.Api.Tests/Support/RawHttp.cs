using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Api.Tests.Support;

/// <summary>
/// HTTP/1.1 over a raw TcpClient, for the bytes HttpClient will not send (bad chunk sizes, malformed request lines,
/// NUL in a header). Reads one response: status line, headers, and the body (chunked, Content-Length, or until close).
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything (e.g. a refused body); read the answer anyway.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                // Reset after the response: what arrived is the answer.
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (RawResponse.TryParse(received.ToArray(), closed: false, out _))
            {
                break;
            }
        }

        return RawResponse.TryParse(received.ToArray(), closed: true, out var response)
            ? response
            : throw new InvalidOperationException("No complete HTTP response: " + Encoding.Latin1.GetString(received.ToArray()));
    }

    public static Task<RawResponse> SendAsync(int port, string request) => SendAsync(port, Encoding.Latin1.GetBytes(request));

    /// <summary>A POST with <c>Transfer-Encoding: chunked</c> whose first chunk announces <paramref name="chunkSize"/>.</summary>
    public static string Chunked(string path, string chunkSize, string? token, string body = "{}") =>
        $"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        + (token is null ? string.Empty : $"Authorization: Bearer {token}\r\n")
        + $"\r\n{chunkSize}\r\n{body}\r\n0\r\n\r\n";
}

/// <summary>One parsed response.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value : null;

    public bool IsProblem => ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true;

    public static bool TryParse(byte[] bytes, bool closed, out RawResponse response)
    {
        response = null!;
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return false;
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var rest = text[(end + 4)..];
        string body;
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDechunk(rest, out body))
            {
                return false;
            }
        }
        else if (headers.TryGetValue("content-length", out var length))
        {
            var n = int.Parse(length, CultureInfo.InvariantCulture);
            if (rest.Length < n)
            {
                return false;
            }

            body = rest[..n];
        }
        else if (closed)
        {
            // Neither framing: the body ends with the connection.
            body = rest;
        }
        else
        {
            return false;
        }

        response = new RawResponse(status, headers, body);
        return true;
    }

    private static bool TryDechunk(string rest, out string body)
    {
        var output = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = rest.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                body = string.Empty;
                return false;
            }

            var size = int.Parse(rest.AsSpan(at, lineEnd - at), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                body = output.ToString();
                return true;
            }

            if (rest.Length < lineEnd + 2 + size + 2)
            {
                body = string.Empty;
                return false;
            }

            output.Append(rest, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
