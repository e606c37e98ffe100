namespace Registry.Toml.Configuration;

/// <summary>The state a TOML provider publishes after a load, swapped as one object so readers never see a mix.</summary>
internal sealed record TomlConfigurationSnapshot(TomlTable? Document, IReadOnlyDictionary<string, TomlPosition> Positions)
{
    public static TomlConfigurationSnapshot Empty { get; } = new(null, new Dictionary<string, TomlPosition>());

    /// <summary>Reads the whole stream as bytes (so BOM and encoding are checked by the parser), parses and flattens it.</summary>
    public static (TomlConfigurationSnapshot State, Dictionary<string, string?> Data) Load(Stream stream, string sourceName)
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
        return (new TomlConfigurationSnapshot(document, positions), data);
    }
}
