// RFC 8785 JSON Canonicalization Scheme, restricted to the registry's profile (SPEC §1):
// numbers must be integers within ±(2^53-1) written without fraction or exponent (so "1.0",
// "1e2" and "-0" are rejected rather than rewritten); duplicate member names, nesting deeper
// than 32, comments, trailing commas and invalid UTF-8 are rejected. Member names are sorted by
// UTF-16 code units (RFC 8785 §3.2.3), which string.CompareOrdinal gives directly.
using System.Text.Json;

namespace Registry.Core.Json;

/// <summary>Strict parsing and RFC 8785 canonicalization. Stateless; thread-safe.</summary>
public static partial class CanonicalJson
{
    /// <summary>Deepest nesting accepted (objects and arrays).</summary>
    public const int MaxDepth = 32;

    /// <summary>Largest magnitude of an integer: 2^53-1, the range IEEE doubles hold exactly.</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    private static readonly JsonDocumentOptions s_options = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Parses and validates <paramref name="utf8"/> against the profile. The caller disposes the document.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The input breaks the profile; the message says how.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException("Malformed JSON: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // The duplicate-name check unescapes every member name and throws this (not JsonException)
            // for a name holding invalid UTF-8 or an unpaired surrogate escape.
            throw new CanonicalJsonException("A member name holds invalid UTF-8 or an unpaired surrogate escape.", ex);
        }

        try
        {
            Validate(document.RootElement);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>Returns the canonical bytes of <paramref name="utf8"/>.</summary>
    /// <exception cref="CanonicalJsonException">The input breaks the profile.</exception>
    public static byte[] Canonicalize(ReadOnlyMemory<byte> utf8)
    {
        using var document = Parse(utf8);
        return Canonicalize(document.RootElement);
    }

    /// <summary>Returns the canonical bytes of an element from a document produced by <see cref="Parse"/>.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var writer = new CanonicalJsonWriter();
        Write(writer, element);
        return writer.ToArray();
    }

    /// <summary>Reads a string element, mapping invalid escapes to <see cref="CanonicalJsonException"/>.</summary>
    public static string GetString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new CanonicalJsonException("A string holds an invalid escape or unpaired surrogate.", ex);
        }
    }
}
