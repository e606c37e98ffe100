namespace Registry.Toml.Configuration;

/// <summary>
/// What a TOML provider publishes after a load: the data dictionary it produced, the document and the
/// positions, swapped as one object so readers never see a mix.
/// </summary>
internal sealed record TomlConfigurationSnapshot(IDictionary<string, string?> Data, TomlTable? Document, IReadOnlyDictionary<string, TomlPosition> Positions)
{
    public static TomlConfigurationSnapshot Empty { get; } = new(new Dictionary<string, string?>(), null, new Dictionary<string, TomlPosition>());

    /// <summary>Reads the whole stream as bytes (so BOM and encoding are checked by the parser), parses and flattens it.</summary>
    public static TomlConfigurationSnapshot Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            bytes = buffer.AsSpan((int)memory.Position).ToArray();
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        var document = TomlParser.Parse(bytes, sourceName);
        var (data, positions) = TomlConfigurationFlattener.Flatten(document, sourceName);
        return new TomlConfigurationSnapshot(data, document, positions);
    }

    /// <summary>
    /// This snapshot if <paramref name="currentData"/> is still the data it produced, else <see cref="Empty"/>:
    /// the file provider base class replaces the data without calling Load(Stream) when an optional file
    /// goes missing or a failed reload is ignored, and stale positions must not outlive their values.
    /// </summary>
    public TomlConfigurationSnapshot CurrentFor(IDictionary<string, string?> currentData) =>
        ReferenceEquals(Data, currentData) ? this : Empty;
}
