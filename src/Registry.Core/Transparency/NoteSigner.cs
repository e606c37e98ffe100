// The signing half of C2SP signed-note for Ed25519, with the private key text form of golang.org/x/mod/sumdb/note:
//   PRIVATE+KEY+<name>+<key ID, 8 lowercase hex>+<base64(0x01 || 32-byte RFC 8032 seed)>
// The key ID is that of the public key (NoteVerifierKey), checked on parse. The same key also makes C2SP
// cosignature/v1 lines (type 0x04, its own key ID): that is how the log shows the freshness of a checkpoint whose
// body (and so whose deterministic Ed25519 signature) does not change while the tree does not grow.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Crypto;

namespace Registry.Core.Transparency;

/// <summary>A named Ed25519 note signing key. Thread-safe; dispose to zero the key.</summary>
public sealed class NoteSigner : IDisposable
{
    private const string PrivatePrefix = "PRIVATE+KEY+";

    private readonly Ed25519SecretKey _key;

    private NoteSigner(string name, Ed25519SecretKey key)
    {
        if (!SignedNote.IsValidKeyName(name))
        {
            key.Dispose();
            throw new ArgumentException($"'{name}' is not a note key name (non-empty, no spaces, no '+').", nameof(name));
        }

        Name = name;
        _key = key;
        VerifierKey = new NoteVerifierKey(name, NoteVerifierKey.Ed25519Type, key.PublicKey);
        CosignatureKey = new NoteVerifierKey(name, NoteVerifierKey.CosignatureV1Type, key.PublicKey);
    }

    /// <summary>The key name.</summary>
    public string Name { get; }

    /// <summary>The type 0x01 verifier key of this signer (what verifiers of its notes are given).</summary>
    public NoteVerifierKey VerifierKey { get; }

    /// <summary>The type 0x04 (cosignature/v1) verifier key of the same public key.</summary>
    public NoteVerifierKey CosignatureKey { get; }

    /// <summary>A signer for <paramref name="name"/> from a 32-byte RFC 8032 seed.</summary>
    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed) => new(name, Ed25519SecretKey.FromSeed(seed));

    /// <summary>A signer with a fresh key from the operating system's CSPRNG.</summary>
    public static NoteSigner Generate(string name) => new(name, Ed25519SecretKey.Generate());

    /// <summary>Parses the <c>PRIVATE+KEY+name+id+base64</c> text (surrounding white space ignored); false when it is not one or its key ID does not match.</summary>
    public static bool TryParse(string? text, out NoteSigner signer)
    {
        signer = null!;
        text = text?.Trim();
        if (text is null || !text.StartsWith(PrivatePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[PrivatePrefix.Length..].Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8
            || !parts[1].All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            || !Base64Strict.TryDecode(parts[2], out var material) || material.Length != 33 || material[0] != NoteVerifierKey.Ed25519Type)
        {
            return false;
        }

        var candidate = FromSeed(parts[0], material.AsSpan(1));
        CryptographicOperations.ZeroMemory(material);
        if (candidate.VerifierKey.KeyId != uint.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
        {
            candidate.Dispose();
            return false;
        }

        signer = candidate;
        return true;
    }

    /// <summary>The private key text for a seed, for writing a key file (the caller keeps it secret).</summary>
    public static string FormatPrivateKey(string name, ReadOnlySpan<byte> seed)
    {
        using var signer = FromSeed(name, seed);
        var material = new byte[33];
        material[0] = NoteVerifierKey.Ed25519Type;
        seed.CopyTo(material.AsSpan(1));
        var text = $"{PrivatePrefix}{name}+{signer.VerifierKey.KeyId:x8}+{Convert.ToBase64String(material)}";
        CryptographicOperations.ZeroMemory(material);
        return text;
    }

    /// <summary>The Ed25519 signature line of <paramref name="text"/> (a note text ending in a newline).</summary>
    public NoteSignature Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new NoteSignature(Name, VerifierKey.KeyId, _key.Sign(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Signs <paramref name="text"/> into a new note that carries only this signature.</summary>
    public SignedNote SignNote(string text) => new(text, [Sign(text)]);

    /// <summary>The cosignature/v1 line over <paramref name="checkpointText"/> at <paramref name="timestamp"/> (POSIX seconds).</summary>
    public NoteSignature Cosign(string checkpointText, long timestamp)
    {
        var message = Cosignature.Message(checkpointText, timestamp);
        return Cosignature.Line(Name, CosignatureKey.KeyId, timestamp, _key.Sign(message));
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
