using System.Buffers;
using System.Text.Unicode;

namespace Registry.Toml;

/// <summary>Reads TOML 1.0.0 documents.</summary>
/// <remarks>
/// The parser implements all of TOML 1.0.0 (https://toml.io/en/v1.0.0) and is checked against every
/// case of the toml-test 1.0.0 suite. Input is UTF-8 bytes: a leading byte order mark is skipped,
/// and invalid UTF-8, a UTF-16 byte order mark, bare carriage returns and control characters where
/// the specification forbids them are errors. Arrays and inline tables may nest at most 128 deep.
/// Every method is thread-safe; each call works on its own state.
/// </remarks>
public static class TomlParser
{
    /// <summary>Parses a TOML document from UTF-8 bytes.</summary>
    /// <param name="utf8">The document, exactly as stored (for example from <see cref="File.ReadAllBytes(string)"/>).</param>
    /// <returns>The root table.</returns>
    /// <exception cref="TomlException">The document is not valid TOML 1.0.0.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8) => TomlDocumentParser.Parse(utf8, null);

    /// <summary>Parses a TOML document from UTF-8 bytes, naming its source in error messages.</summary>
    /// <param name="utf8">The document, exactly as stored.</param>
    /// <param name="sourceName">The file name or other label for errors, for example <c>svc-registry.toml</c>.</param>
    /// <returns>The root table.</returns>
    /// <exception cref="TomlException">The document is not valid TOML 1.0.0.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string? sourceName) => TomlDocumentParser.Parse(utf8, sourceName);

    /// <summary>Parses a TOML document held in a string.</summary>
    /// <param name="toml">The document text.</param>
    /// <returns>The root table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="toml"/> is null.</exception>
    /// <exception cref="TomlException">
    /// The document is not valid TOML 1.0.0, or the string holds an unpaired surrogate and so is not text.
    /// </exception>
    public static TomlTable Parse(string toml)
    {
        ArgumentNullException.ThrowIfNull(toml);
        var buffer = ArrayPool<byte>.Shared.Rent(checked((toml.Length * 3) + 1));
        try
        {
            var status = Utf8.FromUtf16(toml, buffer, out _, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw TomlDocumentParser.ErrorAt(buffer.AsSpan(0, written), written, "unpaired surrogate: the string is not valid Unicode text", null);
            }

            return TomlDocumentParser.Parse(buffer.AsSpan(0, written), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
