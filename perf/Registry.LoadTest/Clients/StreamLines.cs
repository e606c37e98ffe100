namespace Registry.LoadTest.Clients;

/// <summary>Handles one line (without the newline); returns false to stop reading.</summary>
public delegate bool LineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// Reads a long-lived response body (SSE, etcd watch stream) line by line with one reusable buffer, handing each
/// line to a synchronous handler as soon as its newline arrives, so the receive time is taken without parsing
/// cost piling up in between.
/// </summary>
public static class StreamLines
{
    /// <summary>Reads until the handler returns false, the stream ends, or cancellation.</summary>
    /// <returns>True when the handler stopped it, false when the stream ended.</returns>
    public static async Task<bool> ReadAsync(Stream stream, LineHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(handler);
        var buffer = new byte[1 << 16];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            var end = filled + read;
            var start = 0;
            var scanFrom = filled;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, end - scanFrom)) >= 0)
            {
                var line = buffer.AsSpan(start, newline - start);
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                if (!handler(line))
                {
                    return true;
                }

                start = newline + 1;
                scanFrom = start;
            }

            filled = end - start;
            Buffer.BlockCopy(buffer, start, buffer, 0, filled);
        }
    }
}
