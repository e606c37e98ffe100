namespace Registry.Cli.Tests.Support;

/// <summary>Damages a data directory's event log on purpose: flips one byte inside a known piece of text.</summary>
internal static class LogSurgery
{
    /// <summary>Flips the last byte of the first (or last) occurrence of <paramref name="marker"/> in the log segment holding it.</summary>
    public static void Tamper(string dataDirectory, string marker, bool last = false)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(marker);
        var segment = Directory.GetFiles(Path.Combine(dataDirectory, "log")).Order(StringComparer.Ordinal)
            .First(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);
        var bytes = File.ReadAllBytes(segment);
        var at = (last ? bytes.AsSpan().LastIndexOf(needle) : bytes.AsSpan().IndexOf(needle)) + needle.Length - 1;
        bytes[at] ^= 0x01;
        File.WriteAllBytes(segment, bytes);
    }
}
