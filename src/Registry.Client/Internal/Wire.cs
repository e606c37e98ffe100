using System.Globalization;
using System.Text.Json;
using Registry.Core;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client.Internal;

/// <summary>
/// Reading the service's response envelopes. Envelopes are read leniently (unknown members are ignored,
/// so an older client keeps working against a newer service); the signed documents inside them are read
/// strictly by Registry.Core. Any shape error becomes <see cref="RegistryClientErrorCodes.InvalidResponse"/>.
/// </summary>
internal static class Wire
{
    public static JsonDocument Parse(byte[] body, string what)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw Invalid($"{what}: the response is not JSON ({ex.Message}).", ex);
        }
    }

    /// <summary>Runs a reader over an element and turns any format error into InvalidResponse.</summary>
    public static T Read<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw Invalid($"{what}: unexpected response ({ex.Message}).", ex);
        }
    }

    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"missing '{name}'");

    public static long Long(JsonElement element, string name) => Member(element, name).GetInt64();

    public static int Int(JsonElement element, string name) => Member(element, name).GetInt32();

    public static int? OptionalInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public static long? OptionalLong(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    public static string String(JsonElement element, string name) =>
        Member(element, name).GetString() ?? throw new FormatException($"'{name}' is null");

    public static bool Bool(JsonElement element, string name) => Member(element, name).GetBoolean();

    public static Digest Digest(JsonElement element, string name) => Core.Model.Digest.Parse(String(element, name));

    public static Timestamp Timestamp(JsonElement element, string name) =>
        Core.Model.Timestamp.TryParse(String(element, name), out var value) ? value : throw new FormatException($"'{name}' is not an RFC 3339 time");

    public static Timestamp? OptionalTimestamp(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Timestamp(element, name) : null;

    public static ProposalStatus Status(JsonElement element, string name) =>
        Enum.TryParse<ProposalStatus>(String(element, name), ignoreCase: true, out var status) ? status : throw new FormatException($"unknown status '{String(element, name)}'");

    public static string StatusName(ProposalStatus status) => status.ToString().ToLowerInvariant();

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static RegistryClientException Invalid(string message, Exception? inner = null) =>
        new(RegistryClientErrorCodes.InvalidResponse, message, innerException: inner);

    /// <summary>Maps a Core format error to the exception type the SDK promises.</summary>
    public static RegistryClientException FromFormat(RegistryFormatException ex) => new(ex.Code.ToString(), ex.Message, innerException: ex);
}
