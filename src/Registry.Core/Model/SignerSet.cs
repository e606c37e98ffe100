using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// The M-of-N approvers: <c>{"signers":[...],"threshold":M,"version":V}</c>, 1 &lt;= M &lt;= N &lt;= 64,
/// signer ids and keys unique, every key a canonical, on-curve Ed25519 point of large order
/// (<see cref="Ed25519PointCheck"/>). Signers keep the order they were given in (it is part of the signed document).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class SignerSet
{
    /// <summary>Most signers in one set.</summary>
    public const int MaxSigners = 64;

    private SignerSet(long version, int threshold, ImmutableArray<Signer> signers)
    {
        Version = version;
        Threshold = threshold;
        Signers = signers;
    }

    /// <summary>Rises by exactly 1 with every accepted <c>set_signers</c> change.</summary>
    public long Version { get; }

    /// <summary>M: distinct approvals needed.</summary>
    public int Threshold { get; }

    /// <summary>The N signers.</summary>
    public ImmutableArray<Signer> Signers { get; }

    /// <summary>Creates a set, enforcing the threshold, uniqueness and key rules.</summary>
    /// <exception cref="RegistryFormatException">The set breaks a rule (code InvalidDescriptor).</exception>
    public static SignerSet Create(long version, int threshold, IEnumerable<Signer> signers)
    {
        var list = signers.ToImmutableArray();
        if (version < 1)
        {
            throw RegistryFormatException.Invalid("signer_set.version must be at least 1.");
        }

        if (list.Length is 0 or > MaxSigners || threshold < 1 || threshold > list.Length)
        {
            throw RegistryFormatException.Invalid($"signer_set needs 1 <= threshold <= signers <= {MaxSigners}; got threshold {threshold} of {list.Length}.");
        }

        if (list.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw RegistryFormatException.Invalid("signer_set has a signer id twice.");
        }

        foreach (var signer in list)
        {
            if (Ed25519PointCheck.Problem(signer.PublicKey.Bytes) is { } problem)
            {
                throw RegistryFormatException.Invalid($"signer_set: signer '{signer.Id}' has an unusable public key: {problem}.");
            }
        }

        if (list.Select(s => s.PublicKey).Distinct().Count() != list.Length)
        {
            throw RegistryFormatException.Invalid("signer_set has a public key twice (one key could count twice toward quorum).");
        }

        return new SignerSet(version, threshold, list);
    }

    /// <summary>Reads a signer set object.</summary>
    public static SignerSet FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "signer_set", "version", "threshold", "signers");
        var version = fields.Integer("version", 1, CanonicalJson.MaxSafeInteger);
        var threshold = (int)fields.Integer("threshold", 0, MaxSigners + 1);
        var signers = fields.Required("signers", JsonValueKind.Array).EnumerateArray().Select(Signer.FromJson).ToList();
        return Create(version, threshold, signers);
    }

    /// <summary>The key of <paramref name="signerId"/>, if it belongs to this set.</summary>
    public bool TryGetKey(string signerId, out Ed25519PublicKey key)
    {
        foreach (var signer in Signers)
        {
            if (signer.Id == signerId)
            {
                key = signer.PublicKey;
                return true;
            }
        }

        key = default;
        return false;
    }

    /// <summary>Writes the canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("signers");
        writer.WriteStartArray();
        foreach (var signer in Signers)
        {
            signer.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteInteger("threshold", Threshold);
        writer.WriteInteger("version", Version);
        writer.WriteEndObject();
    }

    /// <summary>The canonical bytes.</summary>
    public byte[] ToCanonicalBytes()
    {
        var writer = new CanonicalJsonWriter();
        WriteTo(writer);
        return writer.ToArray();
    }
}
