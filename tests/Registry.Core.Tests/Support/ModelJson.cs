using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Tests.Support;

/// <summary>Writes a model value with a <see cref="CanonicalJsonWriter"/>, or reads one from JSON text.</summary>
internal static class ModelJson
{
    public static string Write(Action<CanonicalJsonWriter> write)
    {
        var writer = new CanonicalJsonWriter();
        write(writer);
        return Given.Text(writer.WrittenSpan);
    }

    public static T Read<T>(string json, Func<JsonElement, T> read)
    {
        using var document = CanonicalJson.Parse(Given.Utf8(json));
        return read(document.RootElement);
    }
}
