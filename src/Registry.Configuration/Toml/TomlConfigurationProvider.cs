using System.Text;
using Microsoft.Extensions.Configuration;
using Tomlyn;

namespace Registry.Configuration.Toml;

/// <summary>Loads configuration from a TOML file through Tomlyn and remembers where each key was written.</summary>
/// <remarks>
/// A file that is not TOML 1.1 (or not UTF-8) fails the load with a <see cref="TomlException"/> whose
/// <see cref="TomlException.Diagnostics"/> give file, line and column (wrapped, as for every file provider,
/// in an <see cref="InvalidDataException"/> unless the source's OnLoadException handler ignores it).
/// Reading is thread-safe; a reload swaps the data and the document together.
/// </remarks>
public sealed class TomlConfigurationProvider : FileConfigurationProvider
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private volatile TomlDocument? _document;

    /// <summary>Creates a provider for <paramref name="source"/>.</summary>
    /// <param name="source">The file source.</param>
    public TomlConfigurationProvider(TomlConfigurationSource source)
        : base(source)
    {
    }

    /// <summary>The file's full path (or the source's path when the file provider has none), as errors name it.</summary>
    public string SourceName => Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty).PhysicalPath ?? Source.Path ?? "TOML file";

    /// <summary>
    /// The document behind the current data, or null before loading and when an optional file is missing
    /// (the base class then replaces the data without calling <see cref="Load(Stream)"/>).
    /// </summary>
    public TomlDocument? Document => _document is { } document && ReferenceEquals(document.Data, Data) ? document : null;

    /// <summary>Parses the file and replaces the configuration data.</summary>
    /// <param name="stream">The file's content.</param>
    /// <exception cref="TomlException">The file is not TOML 1.1 or not UTF-8, or two keys map to the same configuration key.</exception>
    public override void Load(Stream stream)
    {
        string text;
        try
        {
            using var reader = new StreamReader(stream, s_strictUtf8, detectEncodingFromByteOrderMarks: false);
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException ex)
        {
            throw new TomlException($"{SourceName}: not valid UTF-8 text ({ex.Message})", ex);
        }

        // A UTF-8 byte order mark is allowed and skipped; TOML has no other encoding.
        var document = TomlDocumentReader.Read(text.StartsWith('\uFEFF') ? text[1..] : text, SourceName);
        _document = document;
        Data = document.Data;
    }
}
