using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Transparency;

namespace Registry.Core.Model;

/// <summary>
/// <c>{"log_key":"&lt;vkey&gt;","op":"set_log_key"}</c>: rotate the transparency log's checkpoint key (docs/PROTOCOL.md
/// §12.14). The vkey is a C2SP signed-note verifier key of type 0x01 (Ed25519); the scope of a proposal holding one is
/// <c>["*"]</c> and it needs the threshold of the current signer set, as <c>set_signers</c> does. Checkpoints whose tree
/// includes the commit are signed by this key.
/// </summary>
/// <remarks>
/// Parsing checks only the form (a type 0x01 vkey with a matching key ID); that the key is named with the registry id and
/// differs from the key in force are rules of the state it is applied to (<c>InvalidDescriptor</c>). Immutable.
/// </remarks>
public sealed record SetLogKeyChange : Change
{
    /// <summary>Creates the change for <paramref name="logKey"/>, a type 0x01 vkey.</summary>
    public SetLogKeyChange(NoteVerifierKey logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        if (logKey.Type != NoteVerifierKey.Ed25519Type)
        {
            throw RegistryFormatException.Malformed($"set_log_key: '{logKey}' is a key of type 0x{logKey.Type:x2}; the log key is an Ed25519 signed-note key (type 0x01).");
        }

        LogKey = logKey;
    }

    /// <summary>The new log key.</summary>
    public NoteVerifierKey LogKey { get; }

    /// <inheritdoc />
    public override string Op => "set_log_key";

    /// <summary>Reads <c>log_key</c> as a type 0x01 vkey, or throws <see cref="RegistryFormatException"/> (<c>Malformed</c>).</summary>
    public static NoteVerifierKey ParseVerifierKey(string text) =>
        NoteVerifierKey.TryParse(text, out var key) && key.Type == NoteVerifierKey.Ed25519Type
            ? key
            : throw RegistryFormatException.Malformed(
                $"set_log_key: '{text}' is not a C2SP vkey of an Ed25519 key (<name>+<8 hex key id>+<base64 of 0x01 || 32-byte key>, with a matching key id).");

    internal static new SetLogKeyChange FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "set_log_key change", "op", "log_key");
        return new SetLogKeyChange(ParseVerifierKey(fields.String("log_key")));
    }

    /// <inheritdoc />
    public override void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("log_key", LogKey.ToString());
        writer.WriteString("op", Op);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public bool Equals(SetLogKeyChange? other) => other is not null && other.LogKey.ToString() == LogKey.ToString();

    /// <inheritdoc />
    public override int GetHashCode() => LogKey.ToString().GetHashCode(StringComparison.Ordinal);
}
