using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>Reads a model value back from stored canonical bytes, refusing any other spelling of it.</summary>
internal static class CanonicalRead
{
    /// <summary>The canonical bytes a value writes.</summary>
    public delegate ReadOnlySpan<byte> BytesOf<in T>(T value);

    /// <summary>
    /// Parses <paramref name="canonical"/> with <paramref name="read"/> and checks that the value's canonical
    /// bytes are exactly the input, so that the bytes read are the bytes that were hashed.
    /// </summary>
    public static T Exact<T>(ReadOnlyMemory<byte> canonical, Func<JsonElement, T> read, BytesOf<T> bytesOf, string what)
    {
        T value;
        using (var document = CanonicalJson.Parse(canonical))
        {
            value = read(document.RootElement);
        }

        return bytesOf(value).SequenceEqual(canonical.Span)
            ? value
            : throw RegistryFormatException.Malformed($"The {what} is valid JSON but not in canonical form.");
    }
}
